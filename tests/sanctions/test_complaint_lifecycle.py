"""Complaints about a decision or a ban: recorded, each stage's outcome and letter, escalated, closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.workflow import Stage
from sanctions.complaints import services
from sanctions.letters import services as letter_services
from sanctions.models import Complaint, ComplaintStage, LetterKind, LetterStatus

NOT_LEADERS = ["office", "chair", "trust", "other_office", "other_head", "inactive"]


@pytest.fixture
def decided(build):
    return build.case(stage=Stage.DECIDED)


def test_a_complaint_takes_its_first_deadline_from_the_trusts_days(decided, make_complaint, trust, today):
    trust.complaint_informal_days = 9
    trust.save()
    complaint = make_complaint(decided)
    assert complaint.stage == ComplaintStage.INFORMAL and complaint.deadline == today + timedelta(days=9)
    step = complaint.steps.get()
    assert step.deadline == complaint.deadline and step.started_on == today
    assert decided.events.filter(kind="complaint", summary__startswith="Complaint received").exists()
    assert complaint.history.count() == 1


def test_a_complaint_may_start_at_the_formal_stage(decided, make_complaint, trust, today):
    complaint = make_complaint(decided, stage="formal")
    assert complaint.deadline == today + timedelta(days=trust.complaint_formal_days)


@pytest.mark.parametrize("stage", ["panel", "closed", "nonsense"])
def test_a_complaint_does_not_start_later_than_formal(decided, make_complaint, stage):
    with pytest.raises(ValidationError):
        make_complaint(decided, stage=stage)


def test_a_complaint_about_a_ban(build, make_ban, make_complaint):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    ban = make_ban(incident)
    complaint = make_complaint(incident, ban=ban)
    assert complaint.ban == ban and complaint.decision is None
    assert "ban" in complaint.about


def test_another_cases_decision_or_ban_is_refused(build, decided, make_ban, personas, today):
    other = build.case(stage=Stage.DECIDED, ban=True)
    other_ban = make_ban(other)
    for about in ({"decision": other.decisions.last()}, {"ban": other_ban}, {}):
        with pytest.raises(ValidationError):
            services.complaint_record(actor=personas["senior"], incident=decided, complainant=decided.subjects()[0],
                                      received_on=today, summary="Unfair.", **about)
    assert not Complaint.objects.exists()


def test_the_complainant_is_on_the_case(build, decided, personas, today):
    stranger = build.person(name="Someone Else")
    with pytest.raises(ValidationError):
        services.complaint_record(actor=personas["senior"], incident=decided, complainant=stranger,
                                  received_on=today, summary="Unfair.", decision=decided.decisions.last())


@pytest.mark.parametrize("days", [1, 4000])
def test_received_on_is_not_in_the_future_nor_before_the_incident(decided, make_complaint, today, days):
    when = today + timedelta(days=1) if days == 1 else today - timedelta(days=days)
    with pytest.raises(ValidationError):
        make_complaint(decided, received_on=when)


def test_a_case_without_a_decision_has_nothing_to_complain_of(build, personas, today):
    incident = build.case(stage=Stage.GATHERING)
    with pytest.raises(ValidationError):
        services.complaint_record(actor=personas["senior"], incident=incident, complainant=incident.subjects()[0],
                                  received_on=today, summary="Unfair.", decision=None)


@pytest.mark.parametrize("persona", NOT_LEADERS)
def test_only_the_schools_leaders_record_complaints(decided, make_complaint, personas, persona):
    with pytest.raises(PermissionDenied):
        make_complaint(decided, actor=personas[persona])


def test_an_outcome_drafts_its_letter_and_the_head_issues_it(decided, make_complaint, personas, today):
    complaint = make_complaint(decided, stage="formal")
    step, letter = services.complaint_outcome_record(actor=personas["senior"], complaint=complaint,
                                                     outcome="not_upheld", outcome_on=today,
                                                     reasons="The decision followed the code of conduct.")
    assert letter.kind == LetterKind.COMPLAINT_OUTCOME and letter.complaint_step == step
    assert letter.person == complaint.complainant and letter.reasons == step.reasons
    complaint.refresh_from_db()
    assert complaint.stage == ComplaintStage.FORMAL and complaint.deadline is None
    issued = letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")
    assert issued.status == LetterStatus.ISSUED and bytes(issued.pdf).startswith(b"%PDF-")
    assert "Not upheld" in issued.html or "not upheld" in issued.html
    assert "complaints panel" in issued.html  # the formal stage's letter says where to go next
    correction = letter_services.letter_correct(actor=personas["senior"], letter=issued)
    assert correction.complaint_step == step


def test_the_letter_is_not_offered_in_the_new_letter_menu(decided):
    kinds = {option["kind"] for option in letter_services.letter_options(decided, [])}
    assert LetterKind.COMPLAINT_OUTCOME not in kinds


def test_a_complaint_letter_without_an_outcome_is_refused(decided, make_complaint, personas):
    complaint = make_complaint(decided)
    with pytest.raises(ValidationError):
        letter_services.letter_draft(actor=personas["senior"], incident=decided, kind=LetterKind.COMPLAINT_OUTCOME,
                                     person=complaint.complainant)


def _decide(complaint, personas, today, outcome="not_upheld"):
    return services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome=outcome,
                                             outcome_on=today, reasons="Considered with care.")


def test_stages_move_forward_to_the_panel_which_closes_it(decided, make_complaint, personas, today, trust):
    complaint = make_complaint(decided)
    with pytest.raises(ValidationError):  # no outcome yet
        services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    _decide(complaint, personas, today)
    complaint = services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    assert complaint.stage == ComplaintStage.FORMAL
    assert complaint.deadline == today + timedelta(days=trust.complaint_formal_days)
    _decide(complaint, personas, today, outcome="partly_upheld")
    complaint = services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    assert complaint.stage == ComplaintStage.PANEL
    assert complaint.deadline == today + timedelta(days=trust.complaint_panel_days)
    _decide(complaint, personas, today)
    complaint.refresh_from_db()
    assert complaint.stage == ComplaintStage.CLOSED and complaint.deadline is None
    assert [s.stage for s in complaint.steps.all()] == ["informal", "formal", "panel"]
    assert complaint.steps.filter(letters__isnull=False).count() == 3
    with pytest.raises(ValidationError):
        services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    with pytest.raises(ValidationError):
        _decide(complaint, personas, today)


def test_only_the_head_escalates_and_closes(decided, make_complaint, personas, today):
    complaint = make_complaint(decided)
    _decide(complaint, personas, today)
    for persona in ["senior", "office", "chair", "trust", "other_head"]:
        with pytest.raises(PermissionDenied):
            services.complaint_escalate(actor=personas[persona], complaint=complaint, requested_on=today)
        with pytest.raises(PermissionDenied):
            services.complaint_close(actor=personas[persona], complaint=complaint)
    complaint = services.complaint_close(actor=personas["head"], complaint=complaint)
    assert complaint.stage == ComplaintStage.CLOSED
    with pytest.raises(ValidationError):  # closed is the end: no going back to the formal stage
        services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)


def test_closing_needs_the_stages_outcome(decided, make_complaint, personas):
    complaint = make_complaint(decided)
    with pytest.raises(ValidationError):
        services.complaint_close(actor=personas["head"], complaint=complaint)


def test_a_withdrawn_complaint_closes_without_a_letter(decided, make_complaint, personas, today):
    complaint = make_complaint(decided)
    step, letter = _decide(complaint, personas, today, outcome="withdrawn")
    complaint.refresh_from_db()
    assert letter is None and complaint.stage == ComplaintStage.CLOSED


@pytest.mark.parametrize("days", [-1, 1])
def test_the_outcome_is_dated_within_its_stage(decided, make_complaint, personas, today, days):
    complaint = make_complaint(decided)
    with pytest.raises(ValidationError):
        services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="upheld",
                                          outcome_on=today + timedelta(days=days), reasons="Yes.")


def test_a_complaint_on_a_closed_case(build, make_complaint):
    closed = build.case(stage=Stage.CLOSED)
    assert make_complaint(closed).stage == ComplaintStage.INFORMAL
