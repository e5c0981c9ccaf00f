"""Pages for complaints about a decision or a ban, and the case page's complaints panel.

Objects come through the selectors (404 outside the user's schools); the role check here only decides
whether to show a form (403 otherwise); the services called on POST check everything again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conduct.permissions import has_role, require_role
from conduct.roles import CASE_LEADERS, Role
from incidents.selectors import get_incident_for
from incidents.workflow import Stage
from sanctions.complaints import services
from sanctions.complaints.forms import ComplaintForm, EscalateForm, OutcomeForm
from sanctions.complaints.selectors import complaints_of_case, get_complaint_for
from sanctions.models import COMPLAINT_OPEN_STAGES, ComplaintStage, LetterStatus
from sanctions.pages import form_page

HEAD = {Role.HEAD}
# A case with more complaints than this shows the latest; each complaint's page shows the rest.
PANEL_COMPLAINTS = 20


def _detail_url(complaint) -> str:
    return reverse("sanctions:complaint_detail", args=[complaint.pk])


def complaint_new(request, pk):
    incident = get_incident_for(request.user, pk)
    require_role(request.user, incident.school, CASE_LEADERS, "record complaints")
    form = ComplaintForm(request.POST or None, incident=incident, initial={"received_on": timezone.localdate()})

    def save(data):
        return services.complaint_record(actor=request.user, incident=incident, **data)

    return form_page(request, incident=incident, form=form, save=save,
                     success=lambda c: f"The complaint is recorded: its outcome is due by {c.deadline:%-d %B %Y}.",
                     heading="Record a complaint", submit_label="Record the complaint", done_url=_detail_url)


@require_safe
def complaint_detail(request, pk):
    complaint = get_complaint_for(request.user, pk)
    school = complaint.incident.school
    step = services.current_step(complaint)
    open_stage = complaint.stage in COMPLAINT_OPEN_STAGES
    decided = step is not None and bool(step.outcome)
    is_head = has_role(request.user, school, HEAD)
    return render(request, "sanctions/complaints/complaint_detail.html", {
        "complaint": complaint, "incident": complaint.incident,
        "steps": complaint.steps.select_related("decided_by").prefetch_related("letters"),
        "step": step, "today": timezone.localdate(),
        "days": {s: school.trust.complaint_days(s) for s in COMPLAINT_OPEN_STAGES},
        "can_decide": open_stage and not decided and has_role(request.user, school, CASE_LEADERS),
        "can_escalate": is_head and decided and complaint.stage in (ComplaintStage.INFORMAL, ComplaintStage.FORMAL),
        "can_close": is_head and open_stage and decided,
    })


def _complaint_form(request, pk, *, roles, what, form_class, save, success, heading, submit_label, initial=None,
                    done_url=None):
    complaint = get_complaint_for(request.user, pk)
    require_role(request.user, complaint.incident.school, roles, what)
    form = form_class(request.POST or None, initial=initial)
    return form_page(request, incident=complaint.incident, form=form, save=lambda data: save(complaint, data),
                     success=success, heading=heading, submit_label=submit_label,
                     done_url=done_url or _detail_url(complaint))


def _its_letter(result) -> str:
    """After an outcome, the letter that tells the complainant (to check and issue); the complaint if none."""
    step, letter = result
    if letter is not None and letter.status == LetterStatus.DRAFT:
        return reverse("sanctions:letter_detail", args=[letter.pk])
    return _detail_url(step.complaint)


def complaint_outcome(request, pk):
    def save(complaint, data):
        return services.complaint_outcome_record(actor=request.user, complaint=complaint, **data)

    return _complaint_form(request, pk, roles=CASE_LEADERS, what="record a complaint's outcome",
                           form_class=OutcomeForm, save=save, initial={"outcome_on": timezone.localdate()},
                           success="The outcome is recorded and its letter drafted: check the letter, then issue it.",
                           heading="Record the outcome of this stage", submit_label="Record the outcome",
                           done_url=_its_letter)


def complaint_escalate(request, pk):
    def save(complaint, data):
        return services.complaint_escalate(actor=request.user, complaint=complaint, **data)

    return _complaint_form(request, pk, roles=HEAD, what="take a complaint to its next stage",
                           form_class=EscalateForm, save=save, initial={"requested_on": timezone.localdate()},
                           success=lambda c: f"The complaint is at the {c.get_stage_display().lower()} stage: "
                                             f"its outcome is due by {c.deadline:%-d %B %Y}.",
                           heading="Take the complaint to its next stage", submit_label="Go to the next stage")


@require_POST
def complaint_close(request, pk):
    complaint = get_complaint_for(request.user, pk)
    require_role(request.user, complaint.incident.school, HEAD, "close complaints")
    try:
        services.complaint_close(actor=request.user, complaint=complaint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The complaint is closed.")
    return redirect("sanctions:complaint_detail", complaint.pk)


def complaints_panel_provider(request, incident):
    """The case page's complaints: each with its stage and deadline, and the step a leader may take next."""
    user, school = request.user, incident.school
    # Every complaint service writes a "complaint" event: a case page whose timeline has none is not queried.
    kinds = getattr(incident, "event_kinds", None)
    complaints = complaints_of_case(incident)[-PANEL_COMPLAINTS:] if kinds is None or "complaint" in kinds else []
    is_leader = has_role(user, school, CASE_LEADERS)
    can_record = is_leader and incident.stage in (Stage.DECIDED, Stage.CLOSED)
    if not complaints and not can_record:
        return {}
    next_actions = []
    for complaint in complaints:
        if complaint.deadline and is_leader:
            # A complainant waiting on a deadline comes before the case's own next step (reopening, closing).
            next_actions.append({"label": f"Record the complaint's {complaint.get_stage_display().lower()} outcome",
                                 "url": reverse("sanctions:complaint_outcome", args=[complaint.pk]),
                                 "first": True})
    panel = {"incident": incident, "complaints": complaints, "can_record": can_record,
             "today": timezone.localdate()}
    return {"panels": [{"template": "sanctions/complaints/_case_panel.html", "context": panel}],
            "next_actions": next_actions}
