"""POST /incidents/<id>/advance/: the bare moves (no record needed) only."""

import pytest
from django.urls import reverse

from incidents.models import CaseEvent
from incidents.workflow import Stage


def _url(incident):
    return reverse("incidents:incident_advance", args=[incident.pk])


def test_who_may_start_gathering(build, statuses):
    # Each persona posts in turn; a fresh case for each so the first success does not change the answer.
    result = {}
    for name in ("office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive", "anonymous"):
        incident = build.case(stage=Stage.REPORTED)
        result[name] = statuses(_url(incident), "post", {"to_stage": Stage.GATHERING}, personas=[name])[name]
        incident.refresh_from_db()
        assert (incident.stage == Stage.GATHERING) is (result[name] == 302 and name in ("senior", "head")), name
    assert result == {
        "office": 403, "senior": 302, "head": 302, "chair": 403, "trust": 403,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_get_is_not_allowed(build, client_as):
    incident = build.case(stage=Stage.REPORTED)
    assert client_as("senior").get(_url(incident)).status_code == 405


def test_a_senior_leader_moves_the_case_with_a_note(build, client_as, personas):
    incident = build.case(stage=Stage.REPORTED)
    response = client_as("senior").post(_url(incident), {"to_stage": Stage.GATHERING, "note": "Asked the teacher"},
                                        follow=True)
    assert "The case is now at “Gathering information”." in response.content.decode()
    event = CaseEvent.objects.filter(incident=incident, kind="stage").get()
    assert (event.actor, event.note, event.from_stage, event.to_stage) == (
        personas["senior"], "Asked the teacher", Stage.REPORTED, Stage.GATHERING)


def test_a_missing_precondition_is_explained_and_nothing_moves(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    incident.statements.all().delete()
    response = client_as("senior").post(_url(incident), {"to_stage": Stage.CONVERSATION}, follow=True)
    assert "Record at least one statement" in response.content.decode()
    incident.refresh_from_db()
    assert incident.stage == Stage.GATHERING


def test_nonsense_stage_is_refused(build, client_as):
    incident = build.case(stage=Stage.REPORTED)
    response = client_as("head").post(_url(incident), {"to_stage": "banned"}, follow=True)
    assert "That is not a stage." in response.content.decode()
    incident.refresh_from_db()
    assert incident.stage == Stage.REPORTED


@pytest.mark.parametrize(("stage", "target", "persona", "ban"), [
    # Moves that belong to a record's own page cannot be made bare through this one.
    (Stage.PROPOSED, Stage.AWAITING_CHAIR, "senior", True),
    (Stage.PROPOSED, Stage.PROPOSED, "senior", False),
    (Stage.PROPOSED, Stage.DECIDED, "head", False),
    (Stage.AWAITING_CHAIR, Stage.PROPOSED, "chair", True),
    (Stage.CLOSED, Stage.DECIDED, "head", False),
])
def test_moves_that_need_a_record_are_refused_here(build, client_as, stage, target, persona, ban):
    incident = build.case(stage=stage, ban=ban)
    events = CaseEvent.objects.filter(incident=incident).count()
    response = client_as(persona).post(_url(incident), {"to_stage": target}, follow=True)
    incident.refresh_from_db()
    assert incident.stage == stage
    assert CaseEvent.objects.filter(incident=incident).count() == events
    assert response.status_code == 200


def test_a_note_with_nul_bytes_is_kept_without_them(build, client_as):
    # PostgreSQL refuses NUL in text: the note is read without it rather than failing there.
    incident = build.case(stage=Stage.REPORTED)
    response = client_as("senior").post(_url(incident), {"to_stage": Stage.GATHERING, "note": "Asked\x00 the teacher"})
    assert response.status_code == 302
    assert CaseEvent.objects.get(incident=incident, kind="stage").note == "Asked the teacher"
