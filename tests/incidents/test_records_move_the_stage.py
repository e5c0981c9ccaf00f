"""A record that implies a stage moves the case with it (issue 25, fewer steps).

The first statement on a reported case starts information gathering; the parent conversation moves a case
that is gathering (or still reported, through gathering) on to the parent conversation. Each move is made by
incident_transition in the record's own transaction, with its timeline event, and only when the actor holds
the move's role and its preconditions are met: otherwise the record is saved and the case stays where it is.
"""

import dataclasses
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conduct.roles import Role
from incidents import workflow
from incidents.models import CaseEvent, ParentConversation, Statement, StatementKind
from incidents.services import conversation_record, statement_add
from incidents.workflow import Stage


def _statement(actor, incident, given_by="A teacher"):
    return statement_add(actor=actor, incident=incident, kind=StatementKind.STAFF, given_by=given_by,
                         taken_on=timezone.now() - timedelta(hours=1), text="I saw it.")


def _conversation(actor, incident):
    return conversation_record(actor=actor, incident=incident, took_place=True,
                               held_on=timezone.now() - timedelta(minutes=30), parent_said="Sorry.")


def _stage_moves(incident):
    return list(CaseEvent.objects.filter(incident=incident, kind="stage").order_by("pk")
                .values_list("from_stage", "to_stage", "actor__username"))


def _stage(incident):
    incident.refresh_from_db()
    return incident.stage


@pytest.mark.parametrize("persona", ["senior", "head"])
def test_the_first_statement_starts_gathering(build, personas, persona):
    incident = build.case(stage=Stage.REPORTED)
    statement = _statement(personas[persona], incident)
    assert statement.incident.stage == Stage.GATHERING  # the service hands back the case as it now is
    assert _stage(incident) == Stage.GATHERING
    assert _stage_moves(incident) == [(Stage.REPORTED, Stage.GATHERING, persona)]
    # The usual stage event and history reason, after the statement's own event.
    kinds = list(CaseEvent.objects.filter(incident=incident).order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["statement", "stage"]
    assert incident.history.first().history_change_reason == "Start gathering information"


def test_a_later_statement_moves_nothing_until_the_conversation_is_recorded(build, personas):
    incident = build.case(stage=Stage.GATHERING)
    _statement(personas["senior"], incident)
    _statement(personas["senior"], incident, given_by="Another teacher")
    assert _stage(incident) == Stage.GATHERING
    assert _stage_moves(incident) == [(Stage.REPORTED, Stage.GATHERING, "senior")]  # the builder's move only


def test_the_conversation_moves_a_gathering_case_to_the_parent_conversation(build, personas):
    incident = build.case(stage=Stage.GATHERING)
    _statement(personas["senior"], incident)
    conversation = _conversation(personas["head"], incident)
    assert conversation.incident.stage == Stage.CONVERSATION
    assert _stage(incident) == Stage.CONVERSATION
    assert _stage_moves(incident)[-1] == (Stage.GATHERING, Stage.CONVERSATION, "head")


def test_a_conversation_before_any_statement_waits_for_one(build, personas):
    """The move to the conversation needs a statement (its precondition): the conversation is saved and
    the case starts gathering; the first statement then moves it on, with no button pressed."""
    incident = build.case(stage=Stage.REPORTED)
    _conversation(personas["senior"], incident)
    assert ParentConversation.objects.filter(incident=incident).count() == 1
    assert _stage(incident) == Stage.GATHERING
    _statement(personas["senior"], incident)
    assert _stage(incident) == Stage.CONVERSATION
    assert _stage_moves(incident) == [
        (Stage.REPORTED, Stage.GATHERING, "senior"), (Stage.GATHERING, Stage.CONVERSATION, "senior")]


@pytest.fixture
def only_the_head_starts_gathering(monkeypatch):
    """The table as a school might set it: only the head starts gathering information."""
    table = tuple(
        dataclasses.replace(t, roles=frozenset({Role.HEAD})) if (t.source, t.target) == (
            Stage.REPORTED, Stage.GATHERING) else t
        for t in workflow.TRANSITIONS
    )
    monkeypatch.setattr(workflow, "TRANSITIONS", table)
    monkeypatch.setattr(workflow, "_BY_PAIR", {(t.source, t.target): t for t in table})


def test_without_the_moves_role_the_record_is_saved_and_the_stage_left(build, personas,
                                                                       only_the_head_starts_gathering):
    """A senior leader may take statements; if the move is not theirs to make, the statement still counts
    and the case waits for someone who may move it."""
    incident = build.case(stage=Stage.REPORTED)
    _statement(personas["senior"], incident)
    assert Statement.objects.filter(incident=incident).count() == 1
    assert _stage(incident) == Stage.REPORTED
    assert _stage_moves(incident) == []
    # The head records the conversation: the case goes through gathering to the conversation.
    _conversation(personas["head"], incident)
    assert _stage(incident) == Stage.CONVERSATION
    assert _stage_moves(incident) == [
        (Stage.REPORTED, Stage.GATHERING, "head"), (Stage.GATHERING, Stage.CONVERSATION, "head")]


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.AWAITING_CHAIR, Stage.DECIDED, Stage.CLOSED])
def test_no_conversation_is_recorded_once_a_response_is_proposed(build, personas, stage):
    incident = build.case(stage=stage)
    before = (incident.stage, incident.version, CaseEvent.objects.filter(incident=incident).count())
    with pytest.raises(ValidationError, match="before a response is proposed"):
        _conversation(personas["head"], incident)
    incident.refresh_from_db()
    assert (incident.stage, incident.version, CaseEvent.objects.filter(incident=incident).count()) == before


def test_a_refused_record_moves_nothing(build, personas):
    incident = build.case(stage=Stage.REPORTED)
    with pytest.raises(ValidationError):
        conversation_record(actor=personas["senior"], incident=incident, took_place=True, parent_said="")
    assert _stage(incident) == Stage.REPORTED
    assert not CaseEvent.objects.filter(incident=incident, kind="stage").exists()


# Through the pages ---------------------------------------------------------------------------------------


def test_the_statement_form_says_where_the_case_now_is(build, client_as):
    incident = build.case(stage=Stage.REPORTED)
    response = client_as("senior").post(
        reverse("incidents:statement_add", args=[incident.pk]),
        {"kind": "staff", "given_by": "A", "taken_on": "2026-01-01T10:00", "text": "x"}, follow=True)
    assert "Statement recorded. The case is now at “Gathering information”." in response.content.decode()
    assert _stage(incident) == Stage.GATHERING


def test_the_conversation_form_says_where_the_case_now_is(build, client_as, personas):
    incident = build.case(stage=Stage.GATHERING)
    _statement(personas["senior"], incident)
    response = client_as("head").post(
        reverse("incidents:conversation_record", args=[incident.pk]),
        {"took_place": "no", "not_possible_reason": "declined"}, follow=True)
    page = response.content.decode()
    assert "The parent conversation is recorded. The case is now at “Parent conversation”." in page
    assert _stage(incident) == Stage.CONVERSATION


@pytest.mark.parametrize(("persona", "status"), [
    ("office", 403), ("chair", 403), ("trust", 403), ("other_head", 404), ("anonymous", 302),
])
def test_who_may_not_record_and_so_moves_nothing(build, client_as, persona, status):
    incident = build.case(stage=Stage.REPORTED)
    response = client_as(persona).post(
        reverse("incidents:conversation_record", args=[incident.pk]),
        {"took_place": "no", "not_possible_reason": "declined"})
    assert response.status_code == status
    assert _stage(incident) == Stage.REPORTED
    assert not ParentConversation.objects.filter(incident=incident).exists()


def test_the_case_page_offers_the_record_not_the_bare_move(build, client_as, personas):
    incident = build.case(stage=Stage.REPORTED)
    page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    next_step = page.split('id="h-next"')[1].split("</section>")[0]
    assert 'btn btn-primary" href="%s"' % reverse("incidents:statement_add", args=[incident.pk]) in next_step
    assert "recording it starts information gathering" in next_step
    # The bare move stays, as a secondary button, for a case with no records.
    assert 'btn btn-outline-primary">Start gathering information' in next_step
    _statement(personas["senior"], incident)
    page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    next_step = page.split('id="h-next"')[1].split("</section>")[0]
    assert 'btn btn-primary" href="%s"' % reverse("incidents:conversation_record", args=[incident.pk]) in next_step
    assert "recording it moves the case on" in next_step
