"""The complaint pages: who may open each one, the steps done through them, and bounded input."""

from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.complaints import services
from sanctions.models import Complaint, ComplaintStage, LetterKind
from tests.sanctions.conftest import expected_statuses

READ_ALL = expected_statuses(office=200, senior=200, head=200, chair=200, trust=200)
LEADERS = expected_statuses(office=403, senior=200, head=200, chair=403, trust=403)
HEAD_ONLY = expected_statuses(office=403, senior=403, head=200, chair=403, trust=403)


@pytest.fixture
def decided(build):
    return build.case(stage=Stage.DECIDED)


@pytest.fixture
def complaint(decided, make_complaint):
    return make_complaint(decided)


@pytest.fixture
def decided_complaint(complaint, personas, today):
    services.complaint_outcome_record(actor=personas["senior"], complaint=complaint, outcome="not_upheld",
                                      outcome_on=today, reasons="The decision was fair.")
    complaint.refresh_from_db()
    return complaint


def _form(decided, today, **changes):
    return {"complainant": decided.subjects()[0].pk, "about": f"decision-{decided.decisions.last().pk}",
            "received_on": today.isoformat(), "stage": "formal", "summary": "The warning was unfair.", **changes}


def test_complaint_new_is_for_the_leaders(decided, check_access):
    check_access(reverse("sanctions:complaint_new", args=[decided.pk]), LEADERS)


def test_complaint_new_records_it_and_opens_its_page(decided, client_as, today, trust):
    response = client_as("senior").post(reverse("sanctions:complaint_new", args=[decided.pk]), _form(decided, today))
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("sanctions:complaint_detail", args=[complaint.pk])
    assert complaint.stage == ComplaintStage.FORMAL
    assert complaint.deadline == today + timedelta(days=trust.complaint_formal_days)


def test_another_cases_decision_cannot_be_posted(build, decided, client_as, today):
    other = build.case(stage=Stage.DECIDED)
    response = client_as("senior").post(reverse("sanctions:complaint_new", args=[decided.pk]),
                                        _form(decided, today, about=f"decision-{other.decisions.last().pk}"))
    assert response.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.parametrize("changes", [
    {"received_on": "9999-12-31"}, {"received_on": "0001-01-01"}, {"about": "decision-99999999999999999999"},
    {"about": "ban-x"}, {"complainant": "99999999999999999999"}, {"complainant": "abc"}, {"stage": "panel"},
    {"summary": "x" * 20001},
])
def test_odd_input_is_a_form_error_not_a_500(decided, client_as, today, changes):
    response = client_as("senior").post(reverse("sanctions:complaint_new", args=[decided.pk]),
                                        _form(decided, today, **changes))
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_complaint_detail_is_for_the_cases_readers(complaint, check_access):
    check_access(reverse("sanctions:complaint_detail", args=[complaint.pk]), READ_ALL)


def test_complaint_detail_shows_the_deadline_and_the_trusts_days(complaint, client_as):
    page = client_as("head").get(reverse("sanctions:complaint_detail", args=[complaint.pk])).content.decode()
    assert f"{complaint.deadline:%-d %b %Y}" in page and "calendar days" in page
    assert reverse("sanctions:complaint_outcome", args=[complaint.pk]) in page


def test_outcome_is_for_the_leaders_and_opens_the_letter(complaint, check_access, client_as, today):
    url = reverse("sanctions:complaint_outcome", args=[complaint.pk])
    check_access(url, LEADERS)
    response = client_as("head").post(url, {"outcome": "upheld", "outcome_on": today.isoformat(),
                                            "reasons": "We should have listened."})
    step = complaint.steps.get()
    letter = step.letters.get()
    assert letter.kind == LetterKind.COMPLAINT_OUTCOME
    assert response["Location"] == reverse("sanctions:letter_detail", args=[letter.pk])
    # The second time, the stage has its outcome: the form answers with the service's refusal.
    again = client_as("head").post(url, {"outcome": "upheld", "outcome_on": today.isoformat(), "reasons": "Again."})
    assert again.status_code == 200 and complaint.steps.get().reasons == "We should have listened."


def test_escalate_is_for_the_head(decided_complaint, check_access, client_as, today, trust):
    url = reverse("sanctions:complaint_escalate", args=[decided_complaint.pk])
    check_access(url, HEAD_ONLY)
    client_as("head").post(url, {"requested_on": today.isoformat()})
    decided_complaint.refresh_from_db()
    assert decided_complaint.stage == ComplaintStage.FORMAL
    assert decided_complaint.deadline == today + timedelta(days=trust.complaint_formal_days)


def test_close_is_for_the_head_by_post(decided_complaint, check_access, client_as):
    url = reverse("sanctions:complaint_close", args=[decided_complaint.pk])
    assert client_as("head").get(url).status_code == 405
    check_access(url, expected_statuses(office=403, senior=403, chair=403, trust=403), method="post")
    assert client_as("head").post(url).status_code == 302
    decided_complaint.refresh_from_db()
    assert decided_complaint.stage == ComplaintStage.CLOSED


def test_the_case_page_lists_complaints_and_offers_the_form(complaint, decided, client_as):
    page = client_as("senior").get(decided.get_absolute_url()).content.decode()
    assert reverse("sanctions:complaint_detail", args=[complaint.pk]) in page
    assert reverse("sanctions:complaint_new", args=[decided.pk]) in page
    chair_page = client_as("chair").get(decided.get_absolute_url()).content.decode()
    assert reverse("sanctions:complaint_detail", args=[complaint.pk]) in chair_page
    assert reverse("sanctions:complaint_new", args=[decided.pk]) not in chair_page
