"""The case summary PDF lists the case's complaints and, once one reaches the panel, says it is made for it."""

import pytest
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.complaints import services
from tests.sanctions.conftest import pdf_text


@pytest.fixture
def decided(build):
    return build.case(stage=Stage.DECIDED)


def _summary(client_as, incident) -> str:
    response = client_as("head").get(reverse("sanctions:case_summary", args=[incident.pk]))
    return pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)


def test_a_complaint_before_the_panel_is_listed_but_not_marked(decided, make_complaint, client_as):
    make_complaint(decided)
    text = _summary(client_as, decided)
    assert "Complaints" in text and "The decision was unfair." in text and "Informal stage" in text
    assert "Prepared for the complaints panel" not in text


def test_at_the_panel_stage_the_summary_is_marked_for_the_panel(decided, make_complaint, client_as, personas, today):
    complaint = make_complaint(decided, stage="formal")
    services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                      outcome_on=today, reasons="The warning was proportionate.")
    complaint = services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    text = _summary(client_as, decided)
    assert f"Prepared for the complaints panel on {today:%-d %B %Y}" in text
    assert f"the panel's outcome is due by {complaint.deadline:%-d %B %Y}" in text.replace("’", "'")
    assert "The warning was proportionate." in text


def test_after_the_panel_the_mark_goes(decided, make_complaint, client_as, personas, today):
    complaint = make_complaint(decided, stage="formal")
    for _ in range(2):
        services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                          outcome_on=today, reasons="Fair.")
        complaint = services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today) \
            if complaint.stage == "formal" else complaint
        complaint.refresh_from_db()
    assert complaint.stage == "closed"
    assert "Prepared for the complaints panel" not in _summary(client_as, decided)
