"""Every (from, to) pair of stages, for every persona.

Allowed pairs succeed for the roles the table names, through the service that
owns the move (the first statement starts gathering, the conversation moves the
case on to it: issue 25), and fail for every other persona, both through that service and
through `incident_transition` called directly. Every other pair fails for
everyone. A refused move leaves the stage and the timeline as they were.
"""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from incidents.models import CaseEvent, StatementKind
from incidents.services import conversation_record, incident_transition, statement_add
from incidents.workflow import TRANSITIONS, Stage, find_transition
from sanctions.models import ActionKind, ConsultationMethod, DecisionOutcome
from sanctions.responses import services as sanctions

PERSONAS = ["office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive", "anonymous"]
ALLOWED = {
    (Stage.REPORTED, Stage.GATHERING): {"senior", "head"},
    (Stage.GATHERING, Stage.CONVERSATION): {"senior", "head"},
    (Stage.CONVERSATION, Stage.PROPOSED): {"senior", "head"},
    (Stage.CONVERSATION, Stage.AWAITING_CHAIR): {"senior", "head"},
    (Stage.PROPOSED, Stage.PROPOSED): {"senior", "head"},
    (Stage.PROPOSED, Stage.AWAITING_CHAIR): {"senior", "head"},
    (Stage.AWAITING_CHAIR, Stage.PROPOSED): {"chair"},
    (Stage.PROPOSED, Stage.DECIDED): {"head"},
    (Stage.DECIDED, Stage.CLOSED): {"head"},
    (Stage.CLOSED, Stage.DECIDED): {"head"},
}
ALL_PAIRS = list(itertools.product(Stage.values, Stage.values))
FORBIDDEN_PAIRS = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def test_the_table_is_exactly_the_expected_one():
    # The expectations above are written out by hand on purpose: a change to
    # the table must be a deliberate change to this test too.
    assert {(t.source, t.target): {str(r) for r in t.roles} for t in TRANSITIONS} == ALLOWED


def _actor(personas, name):
    return personas[name] or AnonymousUser()


def _snapshot(incident):
    incident.refresh_from_db()
    return incident.stage, incident.version, CaseEvent.objects.filter(incident=incident).count()


def _prepare(build, source, target):
    """A case at `source` with whatever records the move to `target` needs."""
    ban = target == Stage.AWAITING_CHAIR and source == Stage.CONVERSATION
    incident = build.case(stage=source, ban=ban)
    if source == Stage.GATHERING:
        statement_add(actor=build.p["senior"], incident=incident, kind=StatementKind.STAFF, given_by="Teacher",
                      taken_on=timezone.now(), text="Seen.")
    if source == Stage.CONVERSATION:
        _conversation(build.p["senior"], incident)
    return incident


def _conversation(actor, incident):
    return conversation_record(actor=actor, incident=incident, took_place=False, not_possible_reason="unreachable",
                        not_possible_detail="No answer on three calls.")


def _do_move(build, personas, incident, source, target, actor):
    """Make the move through the service that owns it."""
    now = timezone.now()
    if (source, target) == (Stage.REPORTED, Stage.GATHERING):
        return statement_add(actor=actor, incident=incident, kind=StatementKind.STAFF, given_by="Teacher",
                             taken_on=now, text="Seen.")
    if (source, target) == (Stage.GATHERING, Stage.CONVERSATION):
        return _conversation(actor, incident)
    if (source, target) == (Stage.CONVERSATION, Stage.PROPOSED) or (source, target) == (Stage.PROPOSED, Stage.PROPOSED):
        return sanctions.proposal_submit(actor=actor, incident=incident, actions=[ActionKind.MEETING],
                                         rationale="A meeting first.")
    if target == Stage.AWAITING_CHAIR:
        return sanctions.proposal_submit(actor=actor, incident=incident, actions=[ActionKind.SITE_BAN],
                                         rationale="Staff at risk.", ban_justification="Threats to staff.")
    if (source, target) == (Stage.AWAITING_CHAIR, Stage.PROPOSED):
        return sanctions.consultation_record(actor=actor, incident=incident, consulted_on=timezone.localdate(),
                                             method=ConsultationMethod.PHONE, chair_view="Agreed.", signed_off=True)
    if (source, target) == (Stage.PROPOSED, Stage.DECIDED):
        return sanctions.decision_record(actor=actor, incident=incident, outcome=DecisionOutcome.APPROVED,
                                         reasons="Proportionate.")
    if (source, target) == (Stage.DECIDED, Stage.CLOSED):
        return sanctions.case_close(actor=actor, incident=incident, outcome="Resolved.")
    if (source, target) == (Stage.CLOSED, Stage.DECIDED):
        return sanctions.case_reopen(actor=actor, incident=incident, reason="The parent breached again.")
    raise AssertionError(f"no service for {source} -> {target}")


def _complete_actions(incident, head):
    for action in incident.decisions.last().followups.filter(done=False):
        sanctions.action_complete(actor=head, action=action, done_on=timezone.localdate(), details="Done.")


@pytest.mark.parametrize(("source", "target", "role"),
                         [(s, t, r) for (s, t), roles in ALLOWED.items() for r in sorted(roles)])
def test_allowed_move_succeeds_for_its_role(build, personas, source, target, role):
    incident = _prepare(build, source, target)
    if source == Stage.DECIDED:
        _complete_actions(incident, personas["head"])
    before_events = CaseEvent.objects.filter(incident=incident, kind="stage").count()
    _do_move(build, personas, incident, source, target, personas[role])
    incident.refresh_from_db()
    assert incident.stage == target
    event = CaseEvent.objects.filter(incident=incident, kind="stage").order_by("-at", "-pk").first()
    assert CaseEvent.objects.filter(incident=incident, kind="stage").count() == before_events + 1
    assert (event.from_stage, event.to_stage, event.actor) == (source, target, personas[role])
    # The history row carries the reason.
    assert incident.history.first().history_change_reason


@pytest.mark.parametrize(("source", "target"), list(ALLOWED))
def test_allowed_move_fails_for_every_other_persona(build, personas, source, target):
    incident = _prepare(build, source, target)
    if source == Stage.DECIDED:
        _complete_actions(incident, personas["head"])
    before = _snapshot(incident)
    for name in PERSONAS:
        if name in ALLOWED[(source, target)]:
            continue
        actor = _actor(personas, name)
        with pytest.raises(PermissionDenied):
            incident_transition(actor=actor, incident=incident, to_stage=target)
        with pytest.raises(PermissionDenied):
            _do_move(build, personas, incident, source, target, actor)
        assert _snapshot(incident) == before, name


@pytest.mark.parametrize(("source", "target"), FORBIDDEN_PAIRS)
def test_every_other_pair_fails_for_everyone(build, personas, source, target):
    assert find_transition(source, target) is None
    incident = build.case(stage=source)
    before = _snapshot(incident)
    for name in PERSONAS:
        with pytest.raises(ValidationError, match="cannot move"):
            incident_transition(actor=_actor(personas, name), incident=incident, to_stage=target)
    assert _snapshot(incident) == before


def test_a_stage_that_is_not_a_stage_is_refused(build, personas):
    incident = build.case(stage=Stage.REPORTED)
    with pytest.raises((ValidationError, ValueError)):
        incident_transition(actor=personas["head"], incident=incident, to_stage="banished")
    assert _snapshot(incident)[0] == Stage.REPORTED


@pytest.mark.parametrize(("source", "target"), [
    (Stage.GATHERING, Stage.CONVERSATION),
    (Stage.CONVERSATION, Stage.PROPOSED),
    (Stage.CONVERSATION, Stage.AWAITING_CHAIR),
    (Stage.PROPOSED, Stage.PROPOSED),
    (Stage.PROPOSED, Stage.AWAITING_CHAIR),
    (Stage.AWAITING_CHAIR, Stage.PROPOSED),
    (Stage.PROPOSED, Stage.DECIDED),
])
def test_the_right_role_cannot_skip_the_records_by_calling_the_transition_directly(build, personas, source, target):
    incident = build.case(stage=source, ban=(source == Stage.PROPOSED and target == Stage.AWAITING_CHAIR))
    if source == Stage.CONVERSATION:
        _conversation(personas["senior"], incident)
    role = sorted(ALLOWED[(source, target)])[0]
    before = _snapshot(incident)
    with pytest.raises(ValidationError):
        incident_transition(actor=personas[role], incident=incident, to_stage=target)
    assert _snapshot(incident) == before


def test_closing_directly_needs_every_action_done(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    with pytest.raises(ValidationError, match="Every action"):
        incident_transition(actor=personas["head"], incident=incident, to_stage=Stage.CLOSED, outcome="Done.")
    assert _snapshot(incident)[0] == Stage.DECIDED


def test_closing_directly_needs_an_outcome_and_reopening_a_reason(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    _complete_actions(incident, personas["head"])
    for outcome in (None, "", "   "):
        with pytest.raises(ValidationError, match="outcome"):
            incident_transition(actor=personas["head"], incident=incident, to_stage=Stage.CLOSED, outcome=outcome)
    incident_transition(actor=personas["head"], incident=incident, to_stage=Stage.CLOSED, outcome="Resolved.")
    for note in ("", "  "):
        with pytest.raises(ValidationError, match="reopened"):
            incident_transition(actor=personas["head"], incident=incident, to_stage=Stage.DECIDED, note=note)
    assert _snapshot(incident)[0] == Stage.CLOSED
    incident_transition(actor=personas["head"], incident=incident, to_stage=Stage.DECIDED, note="New evidence")
    assert _snapshot(incident)[0] == Stage.DECIDED
