"""The retention schedule and holds: the DPO sets the periods; the DPO and heads hold cases."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from conduct.models import Trust
from conduct.params import query_id
from conduct.permissions import has_role
from conduct.roles import Role
from incidents.selectors import get_incident_for
from incidents.views import NOT_SAVED, save_through_service
from privacy import retention, services
from privacy.forms import HoldForm, HoldReleaseForm, PolicyForm
from privacy.models import RecordType, RetentionRun
from privacy.selectors import get_hold_for, holds_for, is_dpo, may_handle_requests

HOLDS_SHOWN = 50


def _schedule(trust):
    periods = retention.policies(trust)
    return trust, [(RecordType(t), *periods[t]) for t in RecordType]


@require_safe
def retention_overview(request):
    if not may_handle_requests(request.user):
        raise PermissionDenied("Only the data protection officer and heads see the retention schedule.")
    holds = holds_for(request.user).filter(released_at__isnull=True).order_by("review_on", "pk")
    trusts = Trust.objects.order_by("name")
    return render(request, "privacy/retention.html", {
        "schedules": [_schedule(trust) for trust in trusts],
        "holds": list(holds[:HOLDS_SHOWN]), "hold_total": holds.count(), "holds_shown": HOLDS_SHOWN,
        "runs": list(RetentionRun.objects.order_by("-started_at", "-pk")[:5]) if is_dpo(request.user) else [],
        "is_dpo": is_dpo(request.user), "today": timezone.localdate(),
    })


def policy_edit(request):
    if not is_dpo(request.user):
        raise PermissionDenied("Only the data protection officer sets the retention schedule.")
    trust_id = query_id(request.GET, "trust")
    trusts = Trust.objects.order_by("name")
    trust = get_object_or_404(trusts, pk=trust_id) if trust_id else trusts.first()
    if trust is None:
        raise PermissionDenied("There is no trust to set a schedule for.")
    current = {t: retention.policies(trust)[t][:2] for t in RecordType.values}
    form = PolicyForm(request.POST or None, current=current)

    def save(data):
        for record_type in RecordType.values:
            months, reason = data[f"{record_type}_months"], data[f"{record_type}_reason"]
            if (months, reason.strip()) != (current[record_type][0], current[record_type][1].strip()):
                services.policy_set(actor=request.user, trust=trust, record_type=record_type, months=months,
                                    reason=reason)
        return True

    if save_through_service(request, form, save, "The retention schedule is saved.") is not NOT_SAVED:
        return redirect("privacy:retention")
    return render(request, "privacy/form.html", {
        "form": form, "heading": f"Retention schedule: {trust.name}", "submit_label": "Save the schedule",
        "intro": "How long each kind of record is kept before retention_review anonymises it, and why. The "
                 "IRMS Information Management Toolkit for Schools is the usual guide.",
        "cancel_url": "/privacy/retention/"})


def hold_new(request, pk):
    incident = get_incident_for(request.user, pk)
    if not (is_dpo(request.user) or has_role(request.user, incident.school, {Role.HEAD})):
        raise PermissionDenied("Only the data protection officer or the school's head holds a case.")
    form = HoldForm(request.POST or None)

    def save(data):
        return services.hold_place(actor=request.user, incident=incident, **data)

    if save_through_service(request, form, save, "The case is on hold: retention will not touch it.") \
            is not NOT_SAVED:
        return redirect(incident)
    return render(request, "privacy/form.html", {
        "form": form, "heading": f"Hold {incident.reference}", "submit_label": "Hold the case",
        "intro": "While a hold stands (a complaint, a claim, a police matter, an open request), the retention "
                 "schedule never anonymises anything in this case.", "cancel_url": incident.get_absolute_url()})


def hold_release(request, pk):
    hold = get_hold_for(request.user, pk)
    form = HoldReleaseForm(request.POST or None)

    def save(data):
        return services.hold_release(actor=request.user, hold=hold, **data)

    if save_through_service(request, form, save, "The hold is lifted.") is not NOT_SAVED:
        return redirect("privacy:retention")
    return render(request, "privacy/form.html", {
        "form": form, "heading": f"Lift the hold on {hold.incident.reference}", "submit_label": "Lift the hold",
        "intro": f"Held for: {hold.get_kind_display()}: {hold.reason}", "cancel_url": "/privacy/retention/"})
