"""Every write to subject access requests, holds and the retention schedule.

Each function takes the acting user, checks their role and school itself,
runs in one transaction, writes the request's timeline (or the audit log)
and the conduct.audit log.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.audit import audit_log
from conduct.history import save_with_history
from conduct.permissions import has_role
from conduct.roles import Role
from incidents.models import Incident
from incidents.selectors import people_for
from privacy.gathering import Context, gather
from privacy.models import (
    Hold,
    ItemDecision,
    PackItem,
    PauseReason,
    Redaction,
    RedactionDecision,
    RequestPause,
    RequestStatus,
    RetentionPolicy,
    SubjectAccessRequest,
)
from privacy.pack import pack_release
from privacy.redaction import TermFinder, printed_texts
from privacy.request_steps import event_record, lock_request, require_handler, require_open
from privacy.selectors import handled_school_ids, head_school_ids, is_dpo, may_handle_school

MAX_EXTENSION = relativedelta(months=2)


def due_date(received_on):
    """One calendar month after receipt; from the 31st of January, the last day of February."""
    return received_on + relativedelta(months=1)


def deadline_of(request):
    """The date that counts: the first or the extended deadline, moved on by every day the clock was paused.
    An extension and a pause add up in either order: the extension is bounded by the first deadline, the
    pause moves whichever date applies."""
    return (request.extended_to or request.due_on) + timedelta(days=request.paused_days)


# Requests -----------------------------------------------------------------------------------


@transaction.atomic
def request_create(*, actor, school, person, requester_name, reply_to, received_on, channel, notes="",
                   identity_method="", identity_notes="") -> SubjectAccessRequest:
    if school is None and not is_dpo(actor):
        raise PermissionDenied("Only the data protection officer records a request made to the trust.")
    if school is not None and not is_dpo(actor) and school.pk not in head_school_ids(actor):
        raise PermissionDenied("Heads record requests made to their own school.")
    if person is not None and not people_for(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see that person's records.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "A request cannot arrive in the future."})
    due = due_date(received_on)
    request = SubjectAccessRequest(
        school=school, person=person, requester_name=requester_name.strip(), reply_to=reply_to.strip(),
        received_on=received_on, channel=channel, notes=notes, due_on=due, deadline=due, created_by=actor)
    if identity_method:
        request.identity_method, request.identity_notes = identity_method, identity_notes
        request.identity_checked_by, request.identity_checked_at = actor, timezone.now()
    save_with_history(request, "Request received", actor=actor)
    held = f"about {person.full_name}" if person else "for someone Conduct holds no record of"
    event_record(actor=actor, request=request, kind="received",
                 summary=f"Request received {received_on:%-d %b %Y} ({request.get_channel_display().lower()}) {held}; "
                 f"answer due by {due:%-d %b %Y}", person=getattr(person, "pk", None))
    if identity_method:
        event_record(actor=actor, request=request, kind="identity",
                     summary=f"Identity checked: {request.get_identity_method_display()}", note=identity_notes)
    return request


@transaction.atomic
def request_check_identity(*, actor, request, identity_method, identity_notes="") -> SubjectAccessRequest:
    request = lock_request(request)
    require_handler(actor, request)
    require_open(request)
    if not identity_method:
        raise ValidationError({"identity_method": "Say how the requester's identity was checked."})
    request.identity_method, request.identity_notes = identity_method, identity_notes
    request.identity_checked_by, request.identity_checked_at = actor, timezone.now()
    request.version += 1
    save_with_history(request, "Identity checked", actor=actor)
    event_record(actor=actor, request=request, kind="identity",
                 summary=f"Identity checked: {request.get_identity_method_display()}", note=identity_notes)
    return request


@transaction.atomic
def request_extend(*, actor, request, extended_to, reason) -> SubjectAccessRequest:
    request = lock_request(request)
    require_handler(actor, request)
    require_open(request)
    if request.extended_to is not None:
        raise ValidationError("The deadline has already been extended once; it cannot be extended again.")
    if not reason.strip():
        raise ValidationError({"reason": "Record why the request needs longer (it is complex, or there are many)."})
    if extended_to <= request.due_on or extended_to > request.due_on + MAX_EXTENSION:
        latest = request.due_on + MAX_EXTENSION
        raise ValidationError({"extended_to": f"The new date must be after {request.due_on:%-d %b %Y} and no later "
                                              f"than {latest:%-d %b %Y} (two further months)."})
    request.extended_to, request.extension_reason = extended_to, reason.strip()
    request.deadline = deadline_of(request)
    request.version += 1
    save_with_history(request, "Deadline extended", actor=actor)
    paused = (f" (answer due by {request.deadline:%-d %b %Y}: the clock was stopped {request.paused_days} "
              f"day{'s' if request.paused_days != 1 else ''})" if request.paused_days else "")
    event_record(actor=actor, request=request, kind="extended",
                 summary=f"Deadline extended to {extended_to:%-d %b %Y}{paused}", note=reason.strip())
    return request


def _require_dpo(actor) -> None:
    if not is_dpo(actor):
        raise PermissionDenied("Only the data protection officer stops or restarts the clock on a request.")


def _check_pause_start(request, paused_from) -> None:
    """From the day of receipt (or the end of the last pause) to today, and not after the deadline:
    a request already overdue stays overdue."""
    last_resumed = request.pauses.filter(resumed_on__isnull=False).order_by("-resumed_on").values_list(
        "resumed_on", flat=True).first()
    earliest = max(request.received_on, last_resumed or request.received_on)
    latest = min(timezone.localdate(), request.deadline)
    if not earliest <= paused_from <= latest:
        raise ValidationError({"paused_from": f"The clock can stop from {earliest:%-d %b %Y} to {latest:%-d %b %Y}: "
                                              "not before the request arrived or the last pause ended, not in the "
                                              "future, and not once the answer was overdue."})


@transaction.atomic
def request_pause(*, actor, request, reason, detail, paused_from) -> RequestPause:
    """Stop the clock while the DPO waits for the requester's identity or for them to clarify the request."""
    request = lock_request(request)
    _require_dpo(actor)
    require_open(request)
    if request.paused:
        raise ValidationError(f"The clock is already stopped since {request.paused_since:%-d %b %Y}.")
    if reason not in PauseReason.values:
        raise ValidationError({"reason": "Say what you are waiting for: identity or clarification."})
    if not detail.strip():
        raise ValidationError({"detail": "Record what you asked the requester for, when and how."})
    _check_pause_start(request, paused_from)
    pause = save_with_history(RequestPause(request=request, reason=reason, detail=detail.strip(),
                                           paused_from=paused_from, paused_by=actor), "Clock stopped", actor=actor)
    request.paused_since, request.paused_for = paused_from, reason
    request.version += 1
    save_with_history(request, "Clock stopped", actor=actor)
    event_record(actor=actor, request=request, kind="paused",
                 summary=f"Clock stopped from {paused_from:%-d %b %Y}: waiting for {pause.get_reason_display()}",
                 note=pause.detail, pause=pause.pk)
    return pause


@transaction.atomic
def request_resume(*, actor, request, resumed_on, note="") -> RequestPause:
    """Restart the clock: the deadline moves on by the days it stood still."""
    request = lock_request(request)
    _require_dpo(actor)
    require_open(request)
    pause = RequestPause.objects.select_for_update().filter(request=request, resumed_on__isnull=True).first()
    if pause is None:
        raise ValidationError("The clock is running: there is no pause to end.")
    if not pause.paused_from <= resumed_on <= timezone.localdate():
        raise ValidationError({"resumed_on": f"The clock restarts between {pause.paused_from:%-d %b %Y}, when it "
                                             "stopped, and today."})
    pause.resumed_on, pause.resume_note = resumed_on, note.strip()
    pause.resumed_by, pause.resumed_at = actor, timezone.now()
    save_with_history(pause, "Clock restarted", actor=actor)
    request.paused_since, request.paused_for = None, ""
    request.paused_days += pause.days
    request.deadline = deadline_of(request)
    request.version += 1
    save_with_history(request, "Clock restarted", actor=actor)
    event_record(actor=actor, request=request, kind="resumed",
                 summary=f"Clock restarted on {resumed_on:%-d %b %Y} after {pause.days} day"
                 f"{'s' if pause.days != 1 else ''} waiting for {pause.get_reason_display()}: answer now due by "
                 f"{request.deadline:%-d %b %Y}", note=pause.resume_note, pause=pause.pk, days=pause.days)
    return pause


@transaction.atomic
def request_gather(*, actor, request) -> SubjectAccessRequest:
    """Gather everything held about the person at the schools the actor handles (the DPO: every school).

    Gathering again replaces what was gathered, and the redaction decisions with it.
    """
    request = lock_request(request)
    require_handler(actor, request)
    require_open(request)
    school_ids = handled_school_ids(actor)
    found = gather(request.person, school_ids)
    PackItem.objects.filter(request=request).delete()
    for gathered in found:
        gathered.item.request = request
    items = PackItem.objects.bulk_create([g.item for g in found])
    ctx = Context(request.person)
    finder = TermFinder({term for gathered in found for term in gathered.terms}, ctx.own_words, ctx.own_names)
    redactions = [
        Redaction(item=item, term=term[:300], category=category)
        for item, gathered in zip(items, found, strict=True)
        for term, category in finder.occurring(printed_texts(item), gathered.terms).items()
    ]
    Redaction.objects.bulk_create(redactions)
    request.status = RequestStatus.IN_REVIEW
    request.gathered_at, request.gathered_by = timezone.now(), actor
    from conduct.models import School

    request.gathered_school_ids = sorted(school_ids if school_ids is not None
                                         else School.objects.values_list("pk", flat=True))
    request.version += 1
    save_with_history(request, "Gathered", actor=actor)
    scope = "every school of the trust" if school_ids is None else "your school's records only"
    summary = (f"Gathered {len(items)} record(s) from {scope}; {len(redactions)} name(s) of other people redacted"
               if request.person else "Searched: Conduct holds nothing about this person")
    event_record(actor=actor, request=request, kind="gathered", summary=summary, items=len(items),
                 redactions=len(redactions))
    return request


def _lock_item_request(actor, item) -> SubjectAccessRequest:
    """The request of a gathered record, locked. The DPO reviews every record; a head the records of
    their own school, in any request (a trust-wide pack has a part for each school)."""
    request = lock_request(item.request)
    if item.school_id is None:
        require_handler(actor, request)
    elif not may_handle_school(actor, item.school_id):
        raise PermissionDenied("That record belongs to a school you do not lead.")
    require_open(request)
    return request


@transaction.atomic
def redaction_decide(*, actor, redaction, decision, reason) -> Redaction:
    request = _lock_item_request(actor, redaction.item)
    if decision not in RedactionDecision.values:
        raise ValidationError({"decision": "Release the name or keep it redacted."})
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason for the decision."})
    redaction = Redaction.objects.select_for_update().get(pk=redaction.pk)
    redaction.decision, redaction.reason = decision, reason.strip()
    redaction.decided_by, redaction.decided_at = actor, timezone.now()
    save_with_history(redaction, f"Reviewer: {decision}", actor=actor)
    verb = "Released" if decision == RedactionDecision.RELEASE else "Kept redacted"
    event_record(actor=actor, request=request, kind="redaction",
                 summary=f"{verb}: the name of a {redaction.get_category_display()} in “{redaction.item.title}”",
                 note=reason.strip(), school_id=redaction.item.school_id, redaction=redaction.pk, decision=decision)
    return redaction


@transaction.atomic
def item_decide(*, actor, item, decision, reason) -> PackItem:
    """Release or withhold a record that needs a decision: a pupil's own statement (the head of its
    school only, never anyone else) or an evidence file (the reviewer)."""
    request = _lock_item_request(actor, item)
    item = PackItem.objects.select_for_update(of=("self",)).select_related("school").get(pk=item.pk)
    if item.needs_head_decision:
        if not has_role(actor, item.school_id, {Role.HEAD}):
            raise PermissionDenied("Only the head of the school decides whether a pupil's own account is released.")
    elif not item.needs_decision:
        raise ValidationError("This record needs no decision: it is released with its redactions.")
    if decision not in ItemDecision.values:
        raise ValidationError({"decision": "Release or withhold."})
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason for the decision."})
    item.decision, item.decision_reason = decision, reason.strip()
    item.decided_by, item.decided_at = actor, timezone.now()
    save_with_history(item, f"Decision: {decision}", actor=actor)
    who = "The head" if item.needs_head_decision else "Reviewer"
    event_record(actor=actor, request=request, kind="decision",
                 summary=f"{who}: {item.get_decision_display().lower()} “{item.title}”", note=reason.strip(),
                 school_id=item.school_id, item=item.pk, decision=decision)
    return item


def request_release(*, actor, request):
    """Build the pack and release it; see privacy.pack."""

    return pack_release(actor=actor, request=request)


# Holds -----------------------------------------------------------------------------------------


def _require_hold_role(actor, school_id) -> None:
    if not (is_dpo(actor) or has_role(actor, school_id, {Role.HEAD})):
        raise PermissionDenied("Only the data protection officer or the school's head places or lifts a hold.")


@transaction.atomic
def hold_place(*, actor, incident, kind, reason, review_on) -> Hold:
    # The same row lock as retention's: a hold placed while `retention_review --apply` runs
    # either waits for that case's anonymisation to finish or, placed first, stops it.
    incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    _require_hold_role(actor, incident.school_id)
    if not reason.strip():
        raise ValidationError({"reason": "Record why the case is held."})
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": "The review date cannot be in the past."})
    hold = save_with_history(Hold(incident=incident, kind=kind, reason=reason.strip(), review_on=review_on,
                               placed_by=actor), "Hold placed", actor=actor)
    audit_log(actor, "retention_hold_placed", incident, hold=hold.pk, kind=kind)
    return hold


@transaction.atomic
def hold_release(*, actor, hold, reason) -> Hold:
    hold = Hold.objects.select_for_update(of=("self",)).select_related("incident").get(pk=hold.pk)
    _require_hold_role(actor, hold.incident.school_id)
    if hold.released_at is not None:
        raise ValidationError("This hold has already been lifted.")
    if not reason.strip():
        raise ValidationError({"reason": "Record why the hold is lifted."})
    hold.released_by, hold.released_at, hold.release_reason = actor, timezone.now(), reason.strip()
    save_with_history(hold, "Hold lifted", actor=actor)
    audit_log(actor, "retention_hold_released", hold.incident, hold=hold.pk)
    return hold


# The retention schedule ----------------------------------------------------------------------


@transaction.atomic
def policy_set(*, actor, trust, record_type, months, reason) -> RetentionPolicy:
    if not is_dpo(actor):
        raise PermissionDenied("Only the data protection officer sets the retention schedule.")
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason for the period (the guidance followed)."})
    policy = RetentionPolicy.objects.select_for_update().filter(trust=trust, record_type=record_type).first()
    policy = policy or RetentionPolicy(trust=trust, record_type=record_type)
    policy.months, policy.reason, policy.set_by, policy.set_at = months, reason.strip(), actor, timezone.now()
    save_with_history(policy, "Retention period set", actor=actor)
    audit_log(actor, "retention_policy_set", policy, record_type=record_type, months=months)
    return policy
