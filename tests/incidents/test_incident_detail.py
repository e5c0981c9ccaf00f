"""/incidents/<id>/: the case page, its statements, timeline and history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import StatementKind
from incidents.services import statement_add
from incidents.workflow import Stage

EXPECTED = {
    "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def test_who_may_see_a_case(build, statuses):
    incident = build.case(stage=Stage.GATHERING)
    assert statuses(reverse("incidents:incident_detail", args=[incident.pk])) == EXPECTED


def test_an_id_that_does_not_exist_is_404(client_as):
    assert client_as("head").get(reverse("incidents:incident_detail", args=[999999])).status_code == 404


@pytest.fixture
def case_with_pupil_statement(build, personas):
    incident = build.case(stage=Stage.GATHERING)
    statement_add(actor=personas["senior"], incident=incident, kind=StatementKind.PUPIL,
                  given_by="Robin Pupilname", taken_on=timezone.now() - timedelta(hours=1),
                  others_present="Mrs Adult, teaching assistant", text="SECRET-CHILD-ACCOUNT he shouted at me")
    statement_add(actor=personas["senior"], incident=incident, kind=StatementKind.STAFF,
                  given_by="Mr Teacher", taken_on=timezone.now() - timedelta(hours=1), text="STAFF-ACCOUNT I saw it")
    return incident


@pytest.mark.parametrize(("persona", "sees"), [
    ("senior", True), ("head", True), ("chair", True), ("office", False), ("trust", False),
])
def test_pupil_statements_are_only_for_senior_head_and_chair(client_as, case_with_pupil_statement, persona, sees):
    page = client_as(persona).get(case_with_pupil_statement.get_absolute_url()).content.decode()
    assert "STAFF-ACCOUNT" in page
    assert ("SECRET-CHILD-ACCOUNT" in page) is sees
    assert ("Robin Pupilname" in page) is sees
    assert ("Pupils' accounts are shown to senior leaders" in page) is not sees


def test_the_timeline_names_the_pupil_statement_without_the_pupil(client_as, case_with_pupil_statement):
    page = client_as("office").get(case_with_pupil_statement.get_absolute_url()).content.decode()
    assert "Statement recorded (pupil&#x27;s version of events): the pupil" in page


def test_the_page_links_to_the_change_history_and_reads_none_of_it(client_as, build):
    incident = build.case(stage=Stage.GATHERING)
    page = client_as("trust").get(incident.get_absolute_url()).content.decode()
    section = page.split('id="h-history"')[1]
    assert reverse("incidents:incident_history", args=[incident.pk]) in section
    assert "“Reported” → “Gathering information”" not in page


def test_trust_sees_no_buttons_that_change_anything(client_as, build):
    incident = build.case(stage=Stage.REPORTED)
    page = client_as("trust").get(incident.get_absolute_url()).content.decode()
    assert reverse("incidents:incident_advance", args=[incident.pk]) not in page
    assert reverse("incidents:evidence_add", args=[incident.pk]) not in page
    assert reverse("incidents:statement_add", args=[incident.pk]) not in page


def test_a_senior_leader_is_offered_the_first_statement_and_still_the_bare_move(client_as, build):
    incident = build.case(stage=Stage.REPORTED)
    page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    assert reverse("incidents:statement_add", args=[incident.pk]) in page
    assert reverse("incidents:incident_advance", args=[incident.pk]) in page
    assert "Start gathering information" in page


def test_the_next_step_while_gathering_names_what_is_still_needed(client_as, build, personas):
    incident = build.case(stage=Stage.GATHERING)
    page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    assert "At least one statement." in page and "The conversation with the parent, or why" in page
    statement_add(actor=personas["senior"], incident=incident, kind=StatementKind.STAFF, given_by="A teacher",
                  taken_on=timezone.now() - timedelta(hours=1), text="I saw it.")
    page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    assert "At least one statement." not in page
    assert "The conversation with the parent, or why it could not happen (recording it moves the case on)." in page
