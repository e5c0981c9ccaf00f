"""A complaint is part of the case file: anonymised with its case, and the case waits while it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import Stage
from privacy import retention
from privacy.retention import REMOVED
from sanctions.complaints import services as complaint_services
from sanctions.models import Complaint, ComplaintStep

LONG_AGO = timedelta(days=365 * 7)


@pytest.fixture
def closed_with_complaint(build, personas):
    case = build.case(stage=Stage.CLOSED)
    complaint = complaint_services.complaint_record(
        actor=personas["senior"], incident=case, complainant=case.subjects()[0], received_on=timezone.localdate(),
        summary="Mrs Teach was unfair to me.", decision=case.decisions.last())
    Incident.objects.filter(pk=case.pk).update(stage_changed_at=timezone.now() - LONG_AGO)
    return case, complaint


def _decide_long_ago(complaint, personas, *, days_ago):
    today = timezone.localdate()
    complaint_services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                                outcome_on=today, reasons="Mrs Teach acted fairly.")
    complaint_services.complaint_close(actor=personas["head"], complaint=complaint)
    ComplaintStep.objects.filter(complaint=complaint).update(outcome_on=today - timedelta(days=days_ago),
                                                             started_on=today - timedelta(days=days_ago + 1),
                                                             deadline=today - timedelta(days=days_ago))


def _due_cases(trust):
    return set(retention.due(trust).querysets[retention.RecordType.CLOSED_CASE].values_list("pk", flat=True))


def test_an_open_complaint_keeps_the_case(closed_with_complaint, trust):
    case, _ = closed_with_complaint
    assert case.pk not in _due_cases(trust)


def test_a_recent_outcome_keeps_the_case(closed_with_complaint, trust, personas):
    case, complaint = closed_with_complaint
    _decide_long_ago(complaint, personas, days_ago=30)
    assert case.pk not in _due_cases(trust)


def test_long_after_its_outcome_the_complaint_is_anonymised_with_its_case(closed_with_complaint, trust, personas):
    case, complaint = closed_with_complaint
    _decide_long_ago(complaint, personas, days_ago=LONG_AGO.days)
    assert case.pk in _due_cases(trust)
    retention.apply()
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.summary == REMOVED and complaint.steps.get().reasons == REMOVED
    assert not complaint.history.filter(summary__contains="Mrs Teach").exists()
