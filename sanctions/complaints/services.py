"""Complaints about a decision or a ban, under the trust's complaints procedure (Part 7 of the
Independent School Standards for academies): a staged process that ends, if the complainant asks, in a panel.

    complaint_record (senior or head) ──▶ informal or formal, its deadline from the trust's days per stage
    complaint_outcome_record (senior or head) ──▶ the stage's outcome; drafts the letter that tells the complainant
    complaint_escalate (head, the complainant asked) ──▶ formal, then panel, each with its own deadline
    complaint_close (head, after an outcome nobody took further) ──▶ closed; the panel's outcome closes it too

Stages only move forward. Each step locks the case, checks role and school, and writes the case's timeline.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.dates import page_date
from conduct.history import save_with_history
from conduct.permissions import require_school_role
from conduct.roles import CASE_LEADERS, Role
from incidents.services import event_record, lock_incident
from sanctions.letters.services import LETTER_STAGES, letter_draft_create
from sanctions.models import (
    COMPLAINT_OPEN_STAGES,
    COMPLAINT_STAGE_ORDER,
    Complaint,
    ComplaintOutcome,
    ComplaintStage,
    ComplaintStep,
    Decision,
    LetterKind,
    SiteBan,
)

HEAD = {Role.HEAD}
# A complaint is first made informally or, where the procedure allows it, straight at the formal stage.
FIRST_STAGES = (ComplaintStage.INFORMAL, ComplaintStage.FORMAL)
SUMMARY_MAX = 20000


def _lock_complaint(complaint) -> Complaint:
    return (Complaint.objects.select_for_update(of=("self",))
            .select_related("incident__school__trust", "complainant", "decision", "ban").get(pk=complaint.pk))


def stage_deadline(school, stage, started_on):
    return started_on + timedelta(days=school.trust.complaint_days(stage))


def current_step(complaint) -> ComplaintStep | None:
    return complaint.steps.filter(stage=complaint.stage).first()


def _check_subject(*, incident, decision, ban):
    if (decision is None) == (ban is None):
        raise ValidationError({"about": "Say whether the complaint is about the head's decision or a ban."})
    if decision is not None and (not isinstance(decision, Decision) or decision.incident_id != incident.pk):
        raise ValidationError({"about": "That decision belongs to another case."})
    if ban is not None and (not isinstance(ban, SiteBan) or ban.incident_id != incident.pk):
        raise ValidationError({"about": "That ban belongs to another case."})


def _check_received_on(incident, received_on):
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": "The complaint cannot have been received after today."})
    if received_on < timezone.localtime(incident.occurred_at).date():
        raise ValidationError({"received_on": "The complaint cannot have been received before the incident."})


def _start_step(*, actor, complaint, stage, started_on) -> ComplaintStep:
    step = ComplaintStep(complaint=complaint, stage=stage, started_on=started_on,
                         deadline=stage_deadline(complaint.incident.school, stage, started_on))
    save_with_history(step, f"{ComplaintStage(stage).label} stage started", actor=actor)
    return step


@transaction.atomic
def complaint_record(*, actor, incident, complainant, received_on, summary, stage=ComplaintStage.INFORMAL,
                     decision=None, ban=None) -> Complaint:
    """A complaint received about one decision or ban of this case; its first stage's deadline set."""
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "record complaints")
    if incident.stage not in LETTER_STAGES:
        raise ValidationError("A complaint is about a decision or a ban: this case has no decision yet.")
    _check_subject(incident=incident, decision=decision, ban=ban)
    if not incident.person_links.filter(person=complainant).exists():
        raise ValidationError({"complainant": "The complainant must be a person on this case."})
    if stage not in FIRST_STAGES:
        raise ValidationError({"stage": "A complaint starts at the informal or the formal stage."})
    _check_received_on(incident, received_on)
    if not summary.strip() or len(summary) > SUMMARY_MAX:
        raise ValidationError({"summary": "Say what the complaint is about, in at most 20,000 characters."})
    complaint = Complaint(incident=incident, complainant=complainant, decision=decision, ban=ban,
                          received_on=received_on, summary=summary, stage=stage, recorded_by=actor)
    complaint.deadline = stage_deadline(incident.school, stage, received_on)
    save_with_history(complaint, "Complaint received", actor=actor)
    _start_step(actor=actor, complaint=complaint, stage=stage, started_on=received_on)
    event_record(actor=actor, incident=incident, kind="complaint",
                 summary=f"Complaint received from {complainant.full_name} about {complaint.about}",
                 note=f"{ComplaintStage(stage).label} stage: outcome due by {page_date(complaint.deadline)}.")
    return complaint


@transaction.atomic
def complaint_outcome_record(*, actor, complaint, outcome, outcome_on, reasons):
    """The open stage's outcome; drafts the letter telling the complainant. The panel's outcome closes it."""
    incident = lock_incident(complaint.incident)
    complaint = _lock_complaint(complaint)
    require_school_role(actor, incident.school, CASE_LEADERS, "record a complaint's outcome")
    step = current_step(complaint)
    if complaint.stage not in COMPLAINT_OPEN_STAGES or step is None or step.outcome:
        raise ValidationError("This stage of the complaint already has its outcome.")
    if outcome not in ComplaintOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    if not step.started_on <= outcome_on <= timezone.localdate():
        raise ValidationError({"outcome_on": f"The outcome is dated between the stage's start "
                                             f"({page_date(step.started_on)}) and today."})
    if not reasons.strip() or len(reasons) > SUMMARY_MAX:
        raise ValidationError({"reasons": "Give the reasons for the outcome, in at most 20,000 characters."})
    step.outcome, step.outcome_on, step.reasons, step.decided_by = outcome, outcome_on, reasons, actor
    save_with_history(step, "Outcome recorded", actor=actor)
    complaint.deadline = None
    if complaint.stage == ComplaintStage.PANEL or outcome == ComplaintOutcome.WITHDRAWN:
        complaint.stage = ComplaintStage.CLOSED
    complaint.version += 1
    save_with_history(complaint, "Stage outcome recorded", actor=actor)
    event_record(actor=actor, incident=incident, kind="complaint",
                 summary=f"Complaint, {step.get_stage_display().lower()} stage: {step.get_outcome_display().lower()}",
                 note=reasons)
    letter = None
    if outcome != ComplaintOutcome.WITHDRAWN:
        letter = letter_draft_create(actor=actor, incident=incident, kind=LetterKind.COMPLAINT_OUTCOME,
                                     person=complaint.complainant, complaint_step=step)
    return step, letter


def _next_stage(stage):
    return COMPLAINT_STAGE_ORDER[COMPLAINT_STAGE_ORDER.index(stage) + 1]


@transaction.atomic
def complaint_escalate(*, actor, complaint, requested_on) -> Complaint:
    """The complainant asked to go on: the next stage starts with its own deadline (informal → formal → panel)."""
    incident = lock_incident(complaint.incident)
    complaint = _lock_complaint(complaint)
    require_school_role(actor, incident.school, HEAD, "take a complaint to its next stage")
    step = current_step(complaint)
    if complaint.stage not in (ComplaintStage.INFORMAL, ComplaintStage.FORMAL):
        raise ValidationError("Only a complaint at the informal or formal stage goes on to another stage.")
    if step is None or not step.outcome:
        raise ValidationError("Record this stage's outcome before the complaint goes on to the next.")
    if not step.outcome_on <= requested_on <= timezone.localdate():
        raise ValidationError({"requested_on": f"The request is dated between the outcome "
                                               f"({page_date(step.outcome_on)}) and today."})
    complaint.stage = _next_stage(complaint.stage)
    new_step = _start_step(actor=actor, complaint=complaint, stage=complaint.stage, started_on=requested_on)
    complaint.deadline = new_step.deadline
    complaint.version += 1
    save_with_history(complaint, f"Taken to the {new_step.get_stage_display().lower()} stage", actor=actor)
    event_record(actor=actor, incident=incident, kind="complaint",
                 summary=f"Complaint taken to the {new_step.get_stage_display().lower()} stage",
                 note=f"Outcome due by {page_date(new_step.deadline)}.")
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint) -> Complaint:
    """The complainant did not take the stage's outcome further: the complaint is closed."""
    incident = lock_incident(complaint.incident)
    complaint = _lock_complaint(complaint)
    require_school_role(actor, incident.school, HEAD, "close complaints")
    step = current_step(complaint)
    if complaint.stage not in COMPLAINT_OPEN_STAGES or step is None or not step.outcome:
        raise ValidationError("A complaint is closed once its stage has an outcome.")
    complaint.stage, complaint.deadline = ComplaintStage.CLOSED, None
    complaint.version += 1
    save_with_history(complaint, "Complaint closed", actor=actor)
    event_record(actor=actor, incident=incident, kind="complaint",
                 summary=f"Complaint from {complaint.complainant.full_name} closed after the "
                         f"{step.get_stage_display().lower()} stage")
    return complaint
