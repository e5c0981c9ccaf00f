"""The case summary PDF: the whole case, pupils as initials unless a permitted reader asks for names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import StatementKind
from incidents.workflow import Stage
from sanctions.letters import services as letter_services
from tests.sanctions.conftest import expected_statuses, pdf_text


@pytest.fixture
def case_with_pupil(build, personas):
    incident = build.case(stage=Stage.GATHERING)
    incident_services.statement_add(
        actor=personas["senior"], incident=incident, kind=StatementKind.PUPIL, given_by="Sam Parent",
        taken_on=timezone.now() - timedelta(hours=1), others_present="Class teacher",
        text="Sam Parent said: I was scared at the gate.",
    )
    return incident


def url(incident, full=False):
    return reverse("sanctions:case_summary", args=[incident.pk]) + ("?names=full" if full else "")


def test_every_reader_of_the_school_gets_it(case_with_pupil, check_access):
    check_access(url(case_with_pupil), expected_statuses(office=200, senior=200, head=200, chair=200, trust=200))


def test_full_names_only_for_those_who_may_see_them(case_with_pupil, check_access):
    check_access(url(case_with_pupil, full=True),
                 expected_statuses(office=403, senior=200, head=200, chair=200, trust=403))


def test_initials_by_default(case_with_pupil, client_as):
    text = pdf_text(client_as("head").get(url(case_with_pupil)).content)
    assert "Sam Parent" not in text
    assert "S.P." in text
    assert "I was scared at the gate." in text  # the head reads the pupil's account, with initials


def test_full_names_when_asked(case_with_pupil, client_as):
    text = pdf_text(client_as("head").get(url(case_with_pupil, full=True)).content)
    assert "Sam Parent" in text


def test_pupil_statements_only_for_their_readers(case_with_pupil, client_as):
    for persona in ("office", "trust"):
        text = pdf_text(client_as(persona).get(url(case_with_pupil)).content)
        assert "I was scared" not in text and "Sam Parent" not in text
        assert "Pupils' own accounts are not included for this reader." in text


def test_the_whole_case_is_in_it(confirmed_ban, client_as, personas):
    incident = confirmed_ban.incident
    for n in range(50 - incident.events.count()):
        incident_services.event_record(actor=personas["head"], incident=incident, kind="note", summary=f"Note {n}")
    response = client_as("chair").get(url(incident))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (incident.reference, incident.school.name, "Shouted at staff.", "I saw it.", "Sorry.",
                     "Proportionate.", "I agree.", "Agreed.", "Provisional ban to Pat Parent",
                     "Ban confirmation to Pat Parent", "Note 0", "Timeline"):
        assert expected in text, expected


def test_drafts_are_not_listed_as_issued(build, client_as, personas, letters_case):
    letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind="warning")
    text = pdf_text(client_as("head").get(url(letters_case)).content)
    assert "No letters issued." in text
