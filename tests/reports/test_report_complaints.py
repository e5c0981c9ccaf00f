"""The reports count complaints about decisions and bans: received, open by stage, and outcomes per stage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.workflow import Stage
from sanctions.complaints import services
from sanctions.models import Complaint
from tests.sanctions.conftest import pdf_text


def _complain(incident, actor, stage="informal"):
    return services.complaint_record(actor=actor, incident=incident, complainant=incident.subjects()[0],
                                     received_on=timezone.localdate(), summary="Unfair.", stage=stage,
                                     decision=incident.decisions.last())


@pytest.fixture
def complaints(build, personas, other_school):
    today = timezone.localdate()
    decided = _complain(build.case(stage=Stage.DECIDED), personas["senior"], stage="formal")
    services.complaint_outcome_record(actor=personas["head"], complaint=decided, outcome="partly_upheld",
                                      outcome_on=today, reasons="In part.")
    services.complaint_escalate(actor=personas["head"], complaint=decided, requested_on=today)
    late = _complain(build.case(stage=Stage.DECIDED), personas["senior"])
    Complaint.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
    _complain(build.case(stage=Stage.DECIDED, school=other_school), personas["other_head"])


def _figures(client_as, persona):
    response = client_as(persona).get("/reports/")
    assert response.status_code == 200
    return response.context["figures"].complaints


def _outcomes(figures) -> dict:
    return {row["label"]: row["counts"] for row in figures["outcomes"] if any(row["counts"])}


def test_the_head_counts_her_schools_complaints(complaints, client_as):
    figures = _figures(client_as, "head")
    assert figures["received"] == 2 and figures["overdue"] == 1
    assert {row["label"]: row["count"] for row in figures["open"]} == {
        "Informal": 1, "Formal": 0, "Complaints panel": 1}
    assert _outcomes(figures) == {"Partly upheld": [0, 1, 0]}


def test_the_trust_counts_every_schools(complaints, client_as):
    figures = _figures(client_as, "trust")
    assert figures["received"] == 3
    assert {row["label"]: row["count"] for row in figures["open"]}["Informal"] == 2


def test_another_schools_head_sees_only_hers(complaints, client_as):
    figures = _figures(client_as, "other_head")
    assert figures["received"] == 1 and _outcomes(figures) == {}


def test_the_dashboard_and_board_report_show_them(complaints, client_as):
    page = client_as("head").get("/reports/").content.decode()
    assert "Complaints about decisions and bans" in page and "Partly upheld" in page
    response = client_as("head").get("/reports/board.pdf")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Complaints about decisions and bans" in pdf_text(data)
