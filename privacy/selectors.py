"""Reads scoped to what a user may handle. A request or record outside their reach is a 404.

The data protection officer handles every request across the trust; a head
handles the requests made to their own school, and sees only the gathered
records of the schools they lead.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from conduct.models import School
from conduct.permissions import has_trust_role, school_ids_with_role
from conduct.roles import Role
from incidents.models import IncidentPerson
from privacy.models import (
    OPEN_STATUSES,
    AccessLogEntry,
    Hold,
    PackItem,
    Redaction,
    RequestPause,
    SubjectAccessRequest,
)

HEAD = {Role.HEAD}


def is_dpo(user) -> bool:
    return has_trust_role(user, Role.DPO)


def head_school_ids(user) -> set:
    return school_ids_with_role(user, HEAD)


def may_handle_requests(user) -> bool:
    return is_dpo(user) or bool(head_school_ids(user))


def handled_school_ids(user) -> set | None:
    """The schools whose records the user may gather and review: None means every school."""
    if is_dpo(user):
        return None
    return head_school_ids(user)


def may_handle_school(user, school_id) -> bool:
    """school_id None is a trust-wide record (the person record): anyone who may open the request."""
    allowed = handled_school_ids(user)
    return allowed is None or school_id is None or school_id in allowed


def requests_for(user):
    """The DPO: every request. A head: those made to their school, and those whose gathering holds
    records of their school (their part of a trust-wide pack: the pupils' accounts they must decide on)."""
    if is_dpo(user):
        return SubjectAccessRequest.objects.all()
    school_ids = head_school_ids(user)
    if not school_ids:
        return SubjectAccessRequest.objects.none()
    with_part = PackItem.objects.filter(school_id__in=school_ids).values("request_id")
    return SubjectAccessRequest.objects.filter(Q(school_id__in=school_ids) | Q(pk__in=with_part))


def open_requests_for(user):
    return requests_for(user).filter(status__in=OPEN_STATUSES)


def get_request_for(user, pk, *, lock: bool = False) -> SubjectAccessRequest:
    """The one way views fetch a request: 404 for anyone who may not handle it."""
    queryset = requests_for(user).select_related("school__trust", "person", "created_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, pk=pk)


def items_for(user, request):
    items = PackItem.objects.filter(request=request)
    allowed = handled_school_ids(user)
    if allowed is not None:
        items = items.filter(school_id__in=allowed) | items.filter(school__isnull=True)
    return items


def get_item_for(user, pk) -> PackItem:
    item = get_object_or_404(PackItem.objects.select_related("request", "school"), pk=pk)
    # The request first (a head of another school), then the item's own school (the first school's part).
    if not requests_for(user).filter(pk=item.request_id).exists() or not may_handle_school(user, item.school_id):
        raise Http404("No such record.")
    return item


def get_redaction_for(user, pk) -> Redaction:
    redaction = get_object_or_404(Redaction.objects.select_related("item__request", "item__school"), pk=pk)
    get_item_for(user, redaction.item_id)
    return redaction


ABOUT_ANOTHER_SCHOOL = "A step on a record at another school"
NOT_YOURS = "Recorded by whoever answers the request."


def timeline_for(user, request, *, handles: bool) -> list[dict]:
    """The request's steps as `user` may read them. A step on a record of a school the user does not lead
    says only that it happened: its summary names that school's case and its note is the reviewer's
    reason about it. The free text of the request's own steps is for those who handle the request."""
    allowed = handled_school_ids(user)
    rows = []
    for event in request.events.select_related("actor"):
        elsewhere = allowed is not None and (event.trust_only or event.school_id not in allowed | {None})
        note = event.note if handles or (event.school_id is not None and not elsewhere) else ""
        rows.append({"at": event.at, "actor": event.actor, "summary": ABOUT_ANOTHER_SCHOOL if elsewhere
                     else event.summary, "note": "" if elsewhere else note,
                     "note_withheld": NOT_YOURS if event.note and not elsewhere and not note else ""})
    return rows


PAUSES_SHOWN = 20


def pauses_of(request) -> list:
    """The request's latest pauses, oldest first: whoever may open the request sees when its clock stopped."""
    latest = RequestPause.objects.filter(request=request).select_related("paused_by", "resumed_by").order_by(
        "-paused_from", "-pk")[:PAUSES_SHOWN]
    return list(reversed(latest))


def request_schools(user):
    """The schools a user may register a request at (the DPO: any, or the trust itself)."""
    if is_dpo(user):
        return School.objects.order_by("name")
    return School.objects.filter(pk__in=head_school_ids(user)).order_by("name")


def holds_for(user):
    holds = Hold.objects.select_related("incident__school", "placed_by")
    if is_dpo(user):
        return holds
    return holds.filter(incident__school_id__in=head_school_ids(user))


def get_hold_for(user, pk) -> Hold:
    return get_object_or_404(holds_for(user), pk=pk)


def person_incident_ids(person) -> list:
    return list(IncidentPerson.objects.filter(person=person).values_list("incident_id", flat=True))


def access_entries_for_person(person):
    """(entries, incident ids): views of the person's page, letters to them and their cases, oldest first."""
    incident_ids = person_incident_ids(person)
    entries = AccessLogEntry.objects.filter(Q(person_id=person.pk) | Q(incident_id__in=incident_ids))
    return entries.order_by("at", "pk"), incident_ids
