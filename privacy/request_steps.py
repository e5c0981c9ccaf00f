"""What every step on a subject access request shares: the request locked, who may handle it,
whether it is still open, and the line each step writes on its timeline (services and pack both use these)."""

from django.core.exceptions import PermissionDenied, ValidationError

from conduct.audit import audit_log
from privacy.models import OPEN_STATUSES, RequestEvent, SubjectAccessRequest
from privacy.selectors import head_school_ids, is_dpo


def event_record(*, actor, request, kind, summary, note="", school_id=None, **extra) -> RequestEvent:
    """One step on the request's timeline; `school_id` names the school of the record it was about."""
    event = RequestEvent.objects.create(request=request, actor=actor, kind=kind, summary=summary[:300], note=note,
                                        school_id=school_id)
    audit_log(actor, f"sar_{kind}", request, **extra)
    return event


def require_handler(actor, request) -> None:
    """Raise unless the actor is the data protection officer or the head of the request's school."""
    if is_dpo(actor):
        return
    if request.school_id is None or request.school_id not in head_school_ids(actor):
        raise PermissionDenied("Only the data protection officer or the school's head handles this request.")


def lock_request(request) -> SubjectAccessRequest:
    """The request again, locked for update until the transaction ends (person and school loaded)."""
    return SubjectAccessRequest.objects.select_for_update(of=("self",)).select_related("person", "school").get(
        pk=request.pk)


def require_open(request) -> None:
    """Raise once the pack is released: an answered request no longer changes."""
    if request.status not in OPEN_STATUSES:
        raise ValidationError("This request has been answered: its pack is released and can no longer change.")
