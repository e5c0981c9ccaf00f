"""conduct_audit's complaint checks: each passes on what the services write and catches a change behind them."""

from datetime import timedelta

import pytest

from incidents.workflow import Stage
from sanctions.audit import CHECKS
from sanctions.complaints import services
from sanctions.complaints.audit import (
    check_complaint_deadlines_match_their_stage,
    check_complaints_about_their_own_case,
    check_complaints_on_the_timeline,
    check_outcomes_have_letters,
)
from sanctions.models import Complaint, Letter

COMPLAINT_CHECKS = [check_complaint_deadlines_match_their_stage, check_complaints_about_their_own_case,
                    check_outcomes_have_letters, check_complaints_on_the_timeline]


@pytest.fixture
def complaint(build, make_complaint):
    return make_complaint(build.case(stage=Stage.DECIDED))


def _problems():
    return [problem for check in COMPLAINT_CHECKS for problem in check()]


def test_the_checks_are_registered():
    assert all(check in CHECKS for check in COMPLAINT_CHECKS)


def test_the_services_records_pass_at_every_step(complaint, personas, today):
    assert _problems() == []
    services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                      outcome_on=today, reasons="Fair.")
    assert _problems() == []
    services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    assert _problems() == []


def test_a_deadline_changed_behind_the_services_is_caught(complaint, today):
    Complaint.objects.filter(pk=complaint.pk).update(deadline=today + timedelta(days=300))
    assert [ref for ref, _ in check_complaint_deadlines_match_their_stage()] == [complaint.incident.reference]


def test_a_deadline_lost_behind_the_services_is_caught(complaint):
    Complaint.objects.filter(pk=complaint.pk).update(deadline=None)
    assert len(list(check_complaint_deadlines_match_their_stage())) == 1


def test_a_complaint_moved_to_another_cases_decision_is_caught(complaint, build):
    other = build.case(stage=Stage.DECIDED)
    Complaint.objects.filter(pk=complaint.pk).update(decision=other.decisions.last())
    assert len(list(check_complaints_about_their_own_case())) == 1


def test_a_complaint_missing_from_the_timeline_is_caught(complaint):
    from incidents.models import CaseEvent

    CaseEvent.objects.filter(incident=complaint.incident, kind="complaint").delete()
    assert len(list(check_complaints_on_the_timeline())) == 1


def test_an_outcome_without_its_letter_is_caught(complaint, personas, today):
    _step, letter = services.complaint_outcome_record(actor=personas["head"], complaint=complaint,
                                                      outcome="upheld", outcome_on=today, reasons="Yes.")
    Letter.objects.filter(pk=letter.pk).delete()
    assert len(list(check_outcomes_have_letters())) == 1
