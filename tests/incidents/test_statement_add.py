"""/incidents/<id>/statements/new/ and the statement_add service."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import Statement, StatementKind
from incidents.services import statement_add
from incidents.workflow import Stage

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("incidents:statement_add", args=[incident.pk])


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.case(stage=Stage.GATHERING))) == EXPECTED


def test_who_may_post(build, statuses):
    incident = build.case(stage=Stage.GATHERING)
    data = {"kind": "staff", "given_by": "A", "taken_on": "2026-01-01T10:00", "text": "x"}
    result = statuses(_url(incident), "post", data)
    assert result == {**EXPECTED, "senior": 302, "head": 302}
    assert Statement.objects.filter(incident=incident, given_by="A").count() == 2  # the senior's and the head's


def test_pupil_statement_records_who_took_it_when_and_who_was_present(build, client_as, personas):
    incident = build.case(stage=Stage.GATHERING)
    taken = (timezone.localtime() - timedelta(hours=1)).replace(second=0, microsecond=0)
    response = client_as("senior").post(_url(incident), {
        "kind": "pupil", "given_by": "The pupil", "taken_on": taken.strftime("%Y-%m-%dT%H:%M"),
        "others_present": "Class teacher", "text": "He shouted at my friend."})
    assert response.status_code == 302
    statement = Statement.objects.get(incident=incident, kind=StatementKind.PUPIL)
    assert (statement.taken_by, statement.taken_on, statement.others_present) == (
        personas["senior"], taken, "Class teacher")


def test_pupil_statement_needs_others_present(build, client_as, personas):
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("senior").post(_url(incident), {
        "kind": "pupil", "given_by": "The pupil", "taken_on": "2026-01-01T10:00", "text": "Typed account"})
    page = response.content.decode()
    assert "Say who else was present when the pupil gave their account." in page
    assert "Typed account" in page
    with pytest.raises(ValidationError):
        statement_add(actor=personas["senior"], incident=incident, kind=StatementKind.PUPIL, given_by="P",
                      taken_on=timezone.now(), text="x", others_present="  ")
    assert not Statement.objects.filter(kind=StatementKind.PUPIL).exists()


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.DECIDED, Stage.CLOSED])
def test_no_statements_once_a_response_is_proposed(build, personas, stage):
    incident = build.case(stage=stage)
    with pytest.raises(ValidationError, match="Statements are taken while information is gathered"):
        statement_add(actor=personas["head"], incident=incident, kind=StatementKind.STAFF, given_by="A",
                      taken_on=timezone.now(), text="x")


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(build, personas, persona):
    incident = build.case(stage=Stage.GATHERING)
    with pytest.raises(PermissionDenied):
        statement_add(actor=personas[persona], incident=incident, kind=StatementKind.STAFF, given_by="A",
                      taken_on=timezone.now(), text="x")


def test_save_and_record_another_opens_an_empty_form_again(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    taken = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    statement = {"kind": "staff", "given_by": "Mr Khan", "taken_on": taken, "text": "I saw it."}
    response = client_as("senior").post(_url(incident), {**statement, "then": "another"})
    assert response.status_code == 302 and response["Location"] == _url(incident)
    response = client_as("senior").post(_url(incident), {**statement, "then": "somewhere-else"})
    assert response["Location"] == incident.get_absolute_url()
    assert Statement.objects.filter(incident=incident).count() == 2
