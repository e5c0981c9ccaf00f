"""Random sequences of service calls by random personas never break the case invariants.

Hypothesis drives every write service of the workflow with random arguments
and random actors (including other schools' staff, the trust reader, an
inactive user and an anonymous one). A refused call must be refused with a
ValidationError or PermissionDenied and change nothing; after every step the
audit (`sanctions.audit.run_audit`) must find nothing: no decided ban without
the Chair's sign-off, no stage the records contradict, no stage change
without its timeline event.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from incidents.models import Incident, StatementKind
from incidents.services import conversation_record, incident_transition, statement_add
from incidents.workflow import Stage, transitions_from
from sanctions import services
from sanctions.audit import run_audit
from sanctions.models import ActionKind, Decision, DecisionAction, DecisionOutcome

PERSONAS = ["office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive", "anonymous"]
# Mostly the people who can act, so that cases get far enough to matter.
WHO = st.sampled_from(PERSONAS) | st.sampled_from(["senior", "head", "chair"])
ACTIONS = st.lists(st.sampled_from(ActionKind.values), min_size=0, max_size=3)
CASE = st.integers(min_value=0, max_value=3)


REACHED = set()


def make_machine(personas, build):
    class CaseWorkflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint that is rolled back at the end,
            # so examples do not see each other's cases.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.cases = []
            self.person = build.person(name="Random Parent")

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def who(self, name):
            return personas[name] or AnonymousUser()

        def case(self, index):
            incident = self.cases[index % len(self.cases)]
            incident.refresh_from_db()
            return incident

        def attempt(self, call, incident):
            """Run a service call; a refusal must leave the case exactly as it was."""
            before = (incident.stage, incident.version, incident.events.count(), incident.outcome)
            try:
                call()
            except (ValidationError, PermissionDenied):
                incident.refresh_from_db()
                assert (incident.stage, incident.version, incident.events.count(), incident.outcome) == before
                return False
            return True

        def add_case(self, stage, ban, days):
            # Cases start at any stage, built lawfully through the services, so
            # that a short random run still reaches the Chair and the decision.
            ban = ban and stage != Stage.CLOSED  # a ban is completed by its letter, not by hand
            self.cases.append(build.case(stage=stage, ban=ban, person=self.person, days_ago=days,
                                         categories=("threatening",)))

        @initialize(stage=st.sampled_from(Stage.values), ban=st.booleans())
        def first_case(self, stage, ban):
            self.add_case(stage, ban, days=30)

        @rule(stage=st.sampled_from(Stage.values), ban=st.booleans(), days=st.integers(min_value=0, max_value=29))
        def log_another_case(self, stage, ban, days):
            if len(self.cases) < 3:
                self.add_case(stage, ban, days)

        @rule(who=WHO, index=CASE, to_stage=st.sampled_from(Stage.values), note=st.sampled_from(["", "note"]))
        def move_directly(self, who, index, to_stage, note):
            incident = self.case(index)
            self.attempt(lambda: incident_transition(actor=self.who(who), incident=incident, to_stage=to_stage,
                                                     note=note), incident)

        @rule(index=CASE, data=st.data())
        def try_a_listed_move_bare(self, index, data):
            """A move the table allows, by a role it names, without the record it needs."""
            incident = self.case(index)
            moves = transitions_from(incident.stage)
            if not moves:
                return
            move = data.draw(st.sampled_from(moves))
            who = data.draw(st.sampled_from(sorted(move.roles)))
            to_stage = move.target
            note = ""
            self.attempt(lambda: incident_transition(actor=self.who(who), incident=incident, to_stage=to_stage,
                                                     note=note), incident)

        @rule(who=WHO, index=CASE, pupil=st.booleans())
        def take_statement(self, who, index, pupil):
            incident = self.case(index)
            self.attempt(lambda: statement_add(
                actor=self.who(who), incident=incident, kind=StatementKind.PUPIL if pupil else StatementKind.STAFF,
                given_by="Someone", taken_on=timezone.now() - timedelta(minutes=5), text="What I saw",
                others_present="TA" if pupil else ""), incident)

        @rule(who=WHO, index=CASE, took_place=st.booleans(), reason=st.sampled_from(["", "declined", "risk"]))
        def record_conversation(self, who, index, took_place, reason):
            incident = self.case(index)
            self.attempt(lambda: conversation_record(
                actor=self.who(who), incident=incident, took_place=took_place,
                held_on=timezone.now() - timedelta(minutes=5), parent_said="Sorry" if took_place else "",
                not_possible_reason=reason), incident)

        @rule(who=WHO, index=CASE, actions=ACTIONS, justify=st.booleans(), rationale=st.sampled_from(["", "Fair"]))
        def propose(self, who, index, actions, justify, rationale):
            incident = self.case(index)
            self.attempt(lambda: services.proposal_submit(
                actor=self.who(who), incident=incident, actions=actions, rationale=rationale,
                ban_justification="Risk to staff" if justify else ""), incident)

        @rule(who=WHO, index=CASE, signed_off=st.booleans(), days_ago=st.integers(min_value=-1, max_value=2))
        def consult_the_chair(self, who, index, signed_off, days_ago):
            incident = self.case(index)
            self.attempt(lambda: services.consultation_record(
                actor=self.who(who), incident=incident, consulted_on=timezone.localdate() - timedelta(days=days_ago),
                method="phone", chair_view="My view", signed_off=signed_off,
                reasons_not_signed="" if signed_off else "Not proportionate"), incident)

        @rule(who=WHO, index=CASE, outcome=st.sampled_from(DecisionOutcome.values), actions=ACTIONS)
        def decide(self, who, index, outcome, actions):
            incident = self.case(index)
            self.attempt(lambda: services.decision_record(
                actor=self.who(who), incident=incident, outcome=outcome, reasons="Because", actions=actions),
                incident)

        @rule(who=WHO, index=CASE, reference=st.sampled_from(["", "POL-1"]))
        def complete_an_action(self, who, index, reference):
            incident = self.case(index)
            action = DecisionAction.objects.filter(decision__incident=incident, done=False).first()
            if action is not None:
                self.attempt(lambda: services.action_complete(
                    actor=self.who(who), action=action, done_on=timezone.localdate(), details="Done",
                    reference=reference), incident)

        @rule(who=WHO, index=CASE, outcome=st.sampled_from(["", "Resolved"]))
        def close(self, who, index, outcome):
            incident = self.case(index)
            self.attempt(lambda: services.case_close(actor=self.who(who), incident=incident, outcome=outcome),
                         incident)

        @rule(who=WHO, index=CASE, reason=st.sampled_from(["", "New evidence"]))
        def reopen(self, who, index, reason):
            incident = self.case(index)
            self.attempt(lambda: services.case_reopen(actor=self.who(who), incident=incident, reason=reason),
                         incident)

        @invariant()
        def note_how_far_cases_got(self):
            # Shown by pytest --hypothesis-show-statistics: proof the machine reaches the deep stages.
            for stage in Incident.objects.values_list("stage", flat=True).distinct():
                event(f"reached {stage}")
                REACHED.add(stage)
            if Decision.objects.filter(includes_ban=True).exists():
                event("a ban was decided")
                REACHED.add("ban decided")

        @invariant()
        def no_ban_without_the_chairs_sign_off(self):
            for decision in Decision.objects.filter(includes_ban=True).select_related("consultation"):
                assert decision.consultation is not None and decision.consultation.signed_off
                assert decision.consultation.proposal_id == decision.proposal_id
                assert decision.head.staff_roles.filter(school=decision.incident.school, role="head").exists()

        @invariant()
        def the_audit_finds_nothing(self):
            assert run_audit() == []

        @invariant()
        def only_the_first_schools_staff_touched_its_cases(self):
            for incident in Incident.objects.all():
                assert set(incident.events.values_list("actor__username", flat=True)) <= {
                    "office", "senior", "head", "chair"}

    return CaseWorkflow


@pytest.mark.django_db
def test_random_workflows_keep_every_invariant(personas, build):
    machine = make_machine(personas, build)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=30, stateful_step_count=20, deadline=None, derandomize=True, database=None,
        # No shrinking: each step touches the database, so shrinking a failure takes minutes;
        # the failing run's steps are printed as they are.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    # The runs went deep enough to matter: past the Chair to decided bans and closed cases.
    assert {Stage.AWAITING_CHAIR, Stage.PROPOSED, Stage.DECIDED, Stage.CLOSED, "ban decided"} <= REACHED
