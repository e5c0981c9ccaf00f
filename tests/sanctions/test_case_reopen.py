"""/incidents/<id>/reopen/ and case_reopen: with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.responses.services import case_reopen

EXPECTED = {
    "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("sanctions:case_reopen", args=[incident.pk])


def test_who_may_open_the_page(build, statuses):
    assert statuses(_url(build.case(stage=Stage.CLOSED))) == EXPECTED


def test_who_may_reopen(build, statuses):
    incident = build.case(stage=Stage.CLOSED)
    assert statuses(_url(incident), "post", {"reason": "New evidence."}) == {**EXPECTED, "head": 302}
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED
    event = incident.events.filter(kind="stage").last()
    assert (event.summary, event.note) == ("Case reopened", "New evidence.")


def test_a_reason_is_required(build, client_as, personas):
    incident = build.case(stage=Stage.CLOSED)
    response = client_as("head").post(_url(incident), {"reason": ""})
    assert "This field is required." in response.content.decode()
    with pytest.raises(ValidationError, match="reopened"):
        case_reopen(actor=personas["head"], incident=incident, reason=" ")
    incident.refresh_from_db()
    assert incident.stage == Stage.CLOSED


def test_only_a_closed_case_reopens(build, personas):
    with pytest.raises(ValidationError):
        case_reopen(actor=personas["head"], incident=build.case(stage=Stage.DECIDED), reason="Why not")


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(build, personas, persona):
    incident = build.case(stage=Stage.CLOSED)
    with pytest.raises(PermissionDenied):
        case_reopen(actor=personas[persona], incident=incident, reason="Because")
