"""Random sequences of service calls by random personas never break the case invariants.

Hypothesis drives every write service of the workflow with random arguments
and random actors (including other schools' staff, the trust reader, an
inactive user and an anonymous one). A refused call must be refused with a
ValidationError or PermissionDenied and change nothing; after every step that
wrote, the audit (`sanctions.audit.run_audit`) must find nothing: no decided ban without
the Chair's sign-off, no stage the records contradict, no stage change
without its timeline event. Bans are started, confirmed, withdrawn, reviewed
(lifted, continued, extended), ended and their cases closed and reopened, with
time passing in between; after every step each ban has a signed-off
consultation of its own, by the Chair of every school whose site it covers,
and lasts no longer than its school allows.
"""

import functools
import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from conduct.roles import Role
from incidents.models import Incident, StatementKind
from incidents.services import conversation_record, incident_transition, statement_add
from incidents.workflow import Stage, transitions_from
from sanctions.audit import run_audit
from sanctions.bans import services as ban_services
from sanctions.bans.services import latest_end
from sanctions.letters import rendering as renderer
from sanctions.letters import services as letter_services
from sanctions.models import ActionKind, BanRoute, Decision, DecisionAction, DecisionOutcome, LetterStatus, SiteBan
from sanctions.responses import services
from tests.writes import counting_writes

PERSONAS = ["office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive", "anonymous"]
# Mostly the people who can act, so that cases get far enough to matter.
WHO = st.sampled_from(PERSONAS) | st.sampled_from(["senior", "head", "chair"])
ACTIONS = st.lists(st.sampled_from(ActionKind.values), min_size=0, max_size=3)
CASE = st.integers(min_value=0, max_value=3)
# The ban steps are the head's: mostly the head, sometimes anyone.
HEAD_MOSTLY = st.sampled_from(PERSONAS) | st.just("head") | st.just("head")
# Lengths and deadlines around the school's limits (12 months; 14 to 90 days), and far beyond.
BAN_DAYS = st.sampled_from([30, 90, 180, 365]) | st.sampled_from([366, 800]) | st.integers(min_value=1, max_value=800)
DEADLINE = st.sampled_from([14, 21, 90]) | st.sampled_from([1, 13, 91]) | st.integers(min_value=-1, max_value=100)


REACHED = set()


def reached(what):
    event(what)
    REACHED.add(what)


def make_machine(personas, build, school, other_school, writes):
    def again_after_a_write(check):
        """An invariant reads the database and today's date only: until either changes it answers as before,
        so it runs again only then. Most steps are refused before they write (tests.writes counts even a write
        that a refusal undid), and the checks were half of this test's time."""
        @functools.wraps(check)
        def checked(self):
            state = (writes.count, timezone.localdate())
            if self.checked_at.get(check.__name__) != state:
                check(self)
                self.checked_at[check.__name__] = state
        return checked

    class CaseWorkflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.checked_at = {}
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

        @initialize(stage=st.sampled_from(Stage.values), ban=st.booleans() | st.just(True))
        def first_case(self, stage, ban):
            self.add_case(stage, ban, days=30)

        @initialize(notice=st.booleans())
        def a_ban_in_place(self, notice):
            """Every run also has a decided case with a ban started, for the ban's steps to work on."""
            self.add_case(Stage.DECIDED, True, days=40)
            self.start_a_lawful_ban(index=0, notice=notice)

        @rule(stage=st.sampled_from(Stage.values) | st.just(Stage.DECIDED), ban=st.booleans(),
              days=st.integers(min_value=0, max_value=29))
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

        # Bans ------------------------------------------------------------------------------

        def ban_of(self, index):
            """One of the bans started so far (this example's: each runs in its own savepoint)."""
            bans = list(SiteBan.objects.order_by("pk"))
            return bans[index % len(bans)] if bans else None

        def issue_drafts(self, ban):
            # The head issues a ban's letter as soon as it is drafted: a ban in force is put in writing.
            for letter in ban.letters.filter(status=LetterStatus.DRAFT):
                letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")

        @rule(who=HEAD_MOSTLY, index=CASE, notice=st.booleans(), days=BAN_DAYS, deadline=DEADLINE,
              both_sites=st.booleans())
        def start_a_ban(self, who, index, notice, days, deadline, both_sites):
            # Mostly a decided case, where a ban can start at all.
            decided = [i for i, case in enumerate(self.cases) if self.case(i).stage == Stage.DECIDED]
            incident = self.case(decided[index % len(decided)] if decided and index < 3 else index)
            today = timezone.localdate()
            representations_by = today + timedelta(days=deadline)
            starts_on = representations_by + timedelta(days=1) if notice else today

            def call():
                ban = ban_services.ban_create(
                    actor=self.who(who), incident=incident, person=self.person,
                    route=BanRoute.NOTICE if notice else BanRoute.PROVISIONAL,
                    sites=[school, other_school] if both_sites else [school], starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=days), review_on=starts_on + timedelta(days=days // 2),
                    pupil_arrangements="At the office.", reasons="Staff felt threatened.",
                    representations_by=representations_by)
                self.issue_drafts(ban)

            if self.attempt(call, incident):
                reached("a ban was started")

        @rule(index=CASE, notice=st.booleans())
        def start_a_lawful_ban(self, index, notice):
            """The head's ordinary ban on a decided case: the random one above is mostly refused."""
            self.start_a_ban(who="head", index=index, notice=notice, days=60, deadline=14, both_sites=False)

        @rule(index=CASE, days=st.integers(min_value=1, max_value=400))
        def time_passes(self, index, days):
            """The ban's dates move back, as if `days` had passed (the deadline, the review, the end)."""
            ban = self.ban_of(index)
            if ban is not None:
                shift = timedelta(days=days)
                SiteBan.objects.filter(pk=ban.pk).update(
                    starts_on=ban.starts_on - shift, ends_on=ban.ends_on - shift,
                    original_ends_on=ban.original_ends_on - shift, review_on=ban.review_on - shift,
                    representations_by=ban.representations_by - shift)

        @rule(who=HEAD_MOSTLY, index=CASE)
        def confirm_the_ban(self, who, index):
            ban = self.ban_of(index)
            if ban is not None:
                def call():
                    self.issue_drafts(ban_services.ban_confirm(actor=self.who(who), ban=ban, reasons="Necessary."))
                if self.attempt(call, ban.incident):
                    reached("a ban was confirmed")

        @rule(who=HEAD_MOSTLY, index=CASE)
        def withdraw_the_ban(self, who, index):
            ban = self.ban_of(index)
            if ban is not None and self.attempt(
                    lambda: ban_services.ban_withdraw(actor=self.who(who), ban=ban, reasons="Apology."), ban.incident):
                reached("a ban was withdrawn")

        @rule(who=WHO, index=CASE, signed_off=st.booleans())
        def chair_on_an_extension(self, who, index, signed_off):
            ban = self.ban_of(index)
            if ban is not None:
                self.attempt(lambda: ban_services.ban_extension_consult(
                    actor=self.who(who), ban=ban, consulted_on=timezone.localdate(), method="phone",
                    chair_view="My view", signed_off=signed_off,
                    reasons_not_signed="" if signed_off else "No."), ban.incident)

        @rule(who=HEAD_MOSTLY, index=CASE, outcome=st.sampled_from(["lift", "continue", "extend", "shorten"]),
              days=st.integers(min_value=-30, max_value=800))
        def review_the_ban(self, who, index, outcome, days):
            ban = self.ban_of(index)
            if ban is None:
                return
            new_end = ban.ends_on + timedelta(days=days)
            review = min(timezone.localdate() + timedelta(days=7), ban.ends_on)
            if self.attempt(lambda: ban_services.ban_review(
                    actor=self.who(who), ban=ban, outcome=outcome, reasons="Reviewed.", new_ends_on=new_end,
                    next_review_on=review if outcome == "continue" else None), ban.incident):
                reached(f"a ban review: {outcome}")

        @rule(who=HEAD_MOSTLY, index=CASE)
        def end_the_ban(self, who, index):
            ban = self.ban_of(index)
            if ban is not None and self.attempt(lambda: ban_services.ban_end(actor=self.who(who), ban=ban),
                                                ban.incident):
                reached("a ban was ended")

        @rule(index=CASE, steps=st.lists(st.tuples(
            st.sampled_from(["time", "deadline", "ending", "confirm", "withdraw", "lift", "extend", "end", "close",
                             "reopen", "start"]),
            st.integers(min_value=1, max_value=400)), min_size=1, max_size=12))
        def the_head_takes_a_ban_further(self, index, steps):
            """Several of the head's steps in a row, each checked as a step of its own.

            One rule among twenty would seldom follow a ban through time to its confirmation, lifting,
            end, or a closed and reopened case.
            """
            for step, days in steps:
                if step == "time":
                    self.time_passes(index=index, days=days)
                elif step in ("deadline", "ending"):
                    # Just past the deadline for representations, or the ban's end.
                    ban = self.ban_of(index)
                    if ban is not None:
                        date = ban.representations_by if step == "deadline" else ban.ends_on
                        self.time_passes(index=index, days=max(1, (date - timezone.localdate()).days + 1))
                elif step == "confirm":
                    # Past the deadline for representations first, as a head would wait for it: a confirmed
                    # ban, which a review may lift, is then reached on most seeds (the rule
                    # confirm_the_ban still tries confirming early).
                    ban = self.ban_of(index)
                    if ban is not None:
                        wait = (ban.representations_by - timezone.localdate()).days + 1
                        self.time_passes(index=index, days=max(0, wait))
                    self.confirm_the_ban(who="head", index=index)
                elif step == "withdraw":
                    self.withdraw_the_ban(who="head", index=index)
                elif step == "end":
                    self.end_the_ban(who="head", index=index)
                elif step == "start":
                    self.start_a_lawful_ban(index=index, notice=days % 2 == 0)
                elif step in ("close", "reopen"):
                    ban = self.ban_of(index)
                    if ban is not None:
                        if step == "close":
                            self.close(who="head", index=self.cases.index(ban.incident), outcome="Resolved")
                        else:
                            self.reopen(who="head", index=self.cases.index(ban.incident), reason="New evidence")
                else:
                    self.review_the_ban(who="head", index=index, outcome=step, days=days)
                self.every_ban_has_a_sign_off_of_its_own()

        @invariant()
        @again_after_a_write
        def every_ban_has_a_sign_off_of_its_own(self):
            seen = set()
            for ban in SiteBan.objects.select_related("consultation", "decision", "incident__school"):
                consultation = ban.consultation
                assert consultation.signed_off and consultation.incident_id == ban.incident_id
                assert consultation.proposal_id == ban.decision.proposal_id
                assert consultation.pk not in seen, "one consultation serves two bans"
                seen.add(consultation.pk)
                for site in ban.sites.all():
                    # The Chair of each school whose site the ban covers signed it off.
                    assert consultation.chair.staff_roles.filter(school=site, role=Role.CHAIR).exists(), site
                # Dates as each service saved them (time_passes moves the row, not its history).
                limits = ban.incident.school
                saved = list(ban.history.order_by("history_date", "history_id"))
                first = saved[0]
                assert first.representations_by >= (
                    timezone.localtime(first.history_date).date() + timedelta(days=limits.representation_days))
                for row in saved:
                    if row.history_change_reason in ("Ban started", "Ban confirmed", "Reviewed: Extend"):
                        assert row.ends_on <= latest_end(row.starts_on, limits.max_ban_months), row

        @invariant()
        @again_after_a_write
        def note_how_far_cases_got(self):
            # Shown by pytest --hypothesis-show-statistics: proof the machine reaches the deep stages.
            for stage in Incident.objects.values_list("stage", flat=True).distinct():
                event(f"reached {stage}")
                REACHED.add(stage)
            if Decision.objects.filter(includes_ban=True).exists():
                event("a ban was decided")
                REACHED.add("ban decided")

        @invariant()
        @again_after_a_write
        def no_ban_without_the_chairs_sign_off(self):
            for decision in Decision.objects.filter(includes_ban=True).select_related("consultation"):
                assert decision.consultation is not None and decision.consultation.signed_off
                assert decision.consultation.proposal_id == decision.proposal_id
                assert decision.head.staff_roles.filter(school=decision.incident.school, role="head").exists()

        @invariant()
        @again_after_a_write
        def the_audit_finds_nothing(self):
            assert run_audit() == []

        @invariant()
        @again_after_a_write
        def only_the_first_schools_staff_touched_its_cases(self):
            for incident in Incident.objects.all():
                assert set(incident.events.values_list("actor__username", flat=True)) <= {
                    "office", "senior", "head", "chair"}

    return CaseWorkflow


SEED = int(os.environ.get("WORKFLOW_SEED", "1"))
# 30 runs reach every stage and a ban's lift with seed 1; CI's PostgreSQL pass runs 60.
EXAMPLES = int(os.environ.get("WORKFLOW_EXAMPLES", "30"))


@pytest.mark.django_db
def test_random_workflows_keep_every_invariant(personas, build, school, other_school, monkeypatch):
    # The letters are rendered to HTML as ever; only WeasyPrint is skipped, for speed.
    monkeypatch.setattr(renderer, "html_to_pdf", lambda html: b"%PDF-1.4 " + html.encode()[:200])
    # A fixed seed, not derandomize: derandomize seeds from the machine's source, so any edit to this file
    # drew other runs, and whether a run reached a lift was left to that luck.
    with counting_writes() as writes:
        machine = seed(SEED)(make_machine(personas, build, school, other_school, writes))
        run_state_machine_as_test(machine, settings=settings(
            max_examples=EXAMPLES, stateful_step_count=30, deadline=None, database=None,
            # No shrinking: each step touches the database, so shrinking a failure takes minutes;
            # the failing run's steps are printed as they are.
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    # The runs went deep enough to matter: past the Chair to decided bans and closed cases.
    print(sorted(str(r) for r in REACHED))
    assert {Stage.AWAITING_CHAIR, Stage.PROPOSED, Stage.DECIDED, Stage.CLOSED, "ban decided"} <= REACHED
    # ... and through a ban's life: started, withdrawn, lifted. Whether a run reaches a ban's end
    # depends on the day the suite runs (the ban's dates follow today), so it is not required.
    assert {"a ban was started", "a ban was withdrawn", "a ban review: lift"} <= REACHED
