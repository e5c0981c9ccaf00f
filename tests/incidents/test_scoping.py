"""A user sees only their own schools; the trust reads everything and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory, Incident
from incidents.workflow import Stage


@pytest.fixture
def logged(client_as, build, school, png_bytes):
    """The issue's scenario: office logs an incident with an image through the page."""
    existing = build.person(name="Subject Parent")
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client_as("office").post(reverse("incidents:incident_new"), {
        "school": school.pk, "occurred_at": when, "location": "premises", "description": "Shouted.",
        "categories": [c.pk for c in BreachCategory.objects.filter(code__in=["dogs", "threatening"])],
        "subjects": [existing.pk], "reported_by": "Gate", "evidence": SimpleUploadedFile("p.png", png_bytes),
        "new-TOTAL_FORMS": "1", "new-INITIAL_FORMS": "0", "new-0-full_name": "Second Person",
        "new-0-relationship": "visitor", "new-0-involvement": "witness"})
    incident = Incident.objects.get()
    return incident, incident.evidence.get(), existing


def test_another_schools_office_gets_404_everywhere(client_as, logged):
    incident, evidence, subject = logged
    client = client_as("other_office")
    for url in (incident.get_absolute_url(), reverse("incidents:evidence_download", args=[evidence.pk]),
                reverse("incidents:person_detail", args=[subject.pk]),
                reverse("incidents:person_edit", args=[subject.pk]),
                reverse("incidents:evidence_add", args=[incident.pk]),
                reverse("incidents:statement_add", args=[incident.pk]),
                reverse("sanctions:proposal_new", args=[incident.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("incidents:incident_advance", args=[incident.pk]),
                       {"to_stage": "gathering"}).status_code == 404
    assert incident.reference not in client.get(reverse("incidents:incident_list"), {"q": "Subject"}).content.decode()


def test_anonymous_is_sent_to_login_everywhere(client_as, logged):
    incident, evidence, subject = logged
    for url in (incident.get_absolute_url(), reverse("incidents:evidence_download", args=[evidence.pk]),
                reverse("incidents:person_detail", args=[subject.pk])):
        response = client_as("anonymous").get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_trust_reads_every_school(client_as, logged, build):
    incident, evidence, subject = logged
    theirs = build.incident(school=build.other_school)
    client = client_as("trust")
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(reverse("incidents:evidence_download", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("incidents:person_detail", args=[subject.pk])).status_code == 200


def test_the_trust_cannot_log_or_change_anything(client_as, build, png_bytes):
    client = client_as("trust")
    cases = {stage: build.case(stage=stage) for stage in Stage.values}
    person = build.person()
    decided_action = cases[Stage.DECIDED].decisions.get().followups.get()
    attempts = [
        (reverse("incidents:incident_new"), {}),
        (reverse("incidents:person_new"), {"full_name": "X", "relationship": "parent"}),
        (reverse("incidents:person_edit", args=[person.pk]), {"full_name": "X", "relationship": "parent",
                                                               "version": 1}),
        (reverse("incidents:incident_advance", args=[cases[Stage.REPORTED].pk]), {"to_stage": "gathering"}),
        (reverse("incidents:evidence_add", args=[cases[Stage.GATHERING].pk]),
         {"files": SimpleUploadedFile("a.png", png_bytes)}),
        (reverse("incidents:statement_add", args=[cases[Stage.GATHERING].pk]),
         {"kind": "staff", "given_by": "T", "taken_on": "2026-01-01T10:00", "text": "x"}),
        (reverse("incidents:conversation_record", args=[cases[Stage.CONVERSATION].pk]),
         {"took_place": "no", "not_possible_reason": "declined"}),
        (reverse("sanctions:proposal_new", args=[cases[Stage.CONVERSATION].pk]),
         {"actions": ["warning"], "rationale": "x"}),
        (reverse("sanctions:consultation_new", args=[cases[Stage.AWAITING_CHAIR].pk]),
         {"consulted_on": "2026-01-01", "method": "phone", "chair_view": "x", "signed_off": "yes"}),
        (reverse("sanctions:decision_new", args=[cases[Stage.PROPOSED].pk]), {"outcome": "approved", "reasons": "x"}),
        (reverse("sanctions:action_done", args=[decided_action.pk]), {"done_on": "2026-01-01"}),
        (reverse("sanctions:case_close", args=[cases[Stage.DECIDED].pk]), {"outcome": "x"}),
        (reverse("sanctions:case_reopen", args=[cases[Stage.CLOSED].pk]), {"reason": "x"}),
    ]
    before = {stage: case.version for stage, case in cases.items()}
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    for stage, case in cases.items():
        case.refresh_from_db()
        assert (case.stage, case.version) == (stage, before[stage])
    assert not cases[Stage.GATHERING].evidence.exists()
    assert not cases[Stage.GATHERING].statements.exists()
