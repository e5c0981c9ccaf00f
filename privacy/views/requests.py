"""Subject access requests: record, check identity, extend, stop and restart the clock, gather, review, release.

Every request and record is fetched through a selector that 404s for anyone
who may not handle it; the service called on POST checks everything again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conduct.audit import audit_log
from conduct.pagination import CappedPaginator
from conduct.params import query_id, query_text
from conduct.permissions import has_role
from conduct.roles import Role
from incidents.selectors import get_person_for, people_for, pupils_prefetch
from incidents.views import NOT_SAVED, save_through_service
from privacy import services
from privacy.forms import (
    ExtendForm,
    IdentityForm,
    ItemDecisionForm,
    PauseForm,
    RedactionDecisionForm,
    RequestForm,
    ResumeForm,
)
from privacy.gathering import Context
from privacy.models import OPEN_STATUSES, ItemDecision, RequestStatus
from privacy.pack import pack_items, render_pack_pdf
from privacy.redaction import Redactor
from privacy.selectors import (
    NOT_YOURS,
    get_item_for,
    get_redaction_for,
    get_request_for,
    is_dpo,
    items_for,
    may_handle_requests,
    may_handle_school,
    pauses_of,
    request_schools,
    requests_for,
    timeline_for,
)

PAGE_SIZE = 25
ITEMS_PER_PAGE = 15
SEARCH_LIMIT = 20


def _require_handler(user):
    if not may_handle_requests(user):
        raise PermissionDenied("Only the data protection officer and heads answer subject access requests.")


@require_safe
def request_list(request):
    _require_handler(request.user)
    answered = request.GET.get("answered") == "1"
    requests = requests_for(request.user).select_related("school", "person")
    if answered:
        requests = requests.filter(status=RequestStatus.RELEASED).order_by("-deadline", "-pk")
    else:
        # The nearest deadline first: overdue requests lead.
        requests = requests.filter(status__in=OPEN_STATUSES).order_by("deadline", "pk")
    page = CappedPaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/request_list.html", {
        "page": page, "answered": answered, "today": timezone.localdate(),
        "query": "answered=1" if answered else "",
    })


def request_new(request):
    _require_handler(request.user)
    q = query_text(request.GET, "q")
    person_id = query_id(request.POST, "person") or query_id(request.GET, "person")
    nobody = (request.POST.get("nobody") or request.GET.get("nobody")) == "1"
    person = get_person_for(request.user, person_id) if person_id else None
    results = []
    if q and not person:
        results = list(people_for(request.user).filter(full_name__icontains=q)
                       .prefetch_related(pupils_prefetch(request.user))
                       .order_by("full_name", "pk")[:SEARCH_LIMIT])
    form = None
    if person or nobody:
        initial = {"received_on": timezone.localdate(),
                   "requester_name": person.full_name if person else q,
                   "reply_to": (person.email or person.address) if person else ""}
        schools = request_schools(request.user)
        form = RequestForm(request.POST or None, initial=initial, schools=schools, allow_trust=is_dpo(request.user))

        def save(data):
            return services.request_create(actor=request.user, person=person, **data)

        created = save_through_service(request, form, save, "The request is recorded.")
        if created is not NOT_SAVED:
            return redirect(created)
    return render(request, "privacy/request_new.html", {
        "q": q, "results": results, "searched": bool(q), "person": person, "nobody": nobody, "form": form,
        "limit": SEARCH_LIMIT,
    })


@require_safe
def request_detail(request, pk):
    sar = get_request_for(request.user, pk)
    items = items_for(request.user, sar)
    visible = items.count()
    total = sar.items.count()
    pending_head = list(items.filter(needs_head_decision=True, decision="").select_related("school")[:20])
    handles = _handles(request.user, sar)
    return render(request, "privacy/request_detail.html", {
        "sar": sar, "events": timeline_for(request.user, sar, handles=handles), "visible": visible, "total": total,
        "hidden": total - visible, "pending_head": pending_head, "not_yours": NOT_YOURS,
        "can_handle": handles, "is_open": sar.is_open, "pauses": pauses_of(sar), "may_pause": is_dpo(request.user),
        "days_left": (sar.deadline - sar.paused_since).days if sar.paused else None,
        "today": timezone.localdate(), "pack": getattr(sar, "pack", None) if not sar.is_open else None,
        "can_release": sar.status == RequestStatus.IN_REVIEW and visible == total and _handles(request.user, sar)
        and not sar.paused,
        "can_download": not sar.is_open and visible == total and _pack_kept(sar),
    })


def _pack_kept(sar) -> bool:
    """Whether the released pack's files are still held (the retention schedule deletes them)."""
    pack = getattr(sar, "pack", None)
    return bool(pack and pack.pdf)


def _handles(user, sar) -> bool:
    """May take the request's own steps (not only review their school's part of it)."""
    return is_dpo(user) or (sar.school_id is not None and has_role(user, sar.school_id, {Role.HEAD}))


def _request_form(request, pk, *, form_class, save, success, heading, submit_label, initial=None, intro="",
                  may_act=None):
    """A step's form page. `may_act(user, sar)` says who takes the step (the request's handlers unless
    given); `intro` may be a function of the request."""
    sar = get_request_for(request.user, pk)
    if not (may_act or _handles)(request.user, sar):
        raise PermissionDenied("You do not take this step on this request.")
    form = form_class(request.POST or None, initial=initial)
    if save_through_service(request, form, lambda data: save(sar, data), success) is not NOT_SAVED:
        return redirect(sar)
    return render(request, "privacy/form.html", {"sar": sar, "form": form, "heading": heading,
                                                 "submit_label": submit_label,
                                                 "intro": intro(sar) if callable(intro) else intro})


def request_identity(request, pk):
    def save(sar, data):
        return services.request_check_identity(actor=request.user, request=sar, **data)

    return _request_form(request, pk, form_class=IdentityForm, save=save, success="The identity check is recorded.",
                         heading="Record the identity check", submit_label="Record the check")


def request_extend(request, pk):
    def save(sar, data):
        return services.request_extend(actor=request.user, request=sar, **data)

    return _request_form(request, pk, form_class=ExtendForm, save=save, success="The deadline is extended.",
                         heading="Extend the deadline", submit_label="Extend once",
                         intro="A request may be extended once, by up to two further months, when it is complex or "
                               "the requester has made several. Tell the requester within the first month, and why.")


def _dpo_only(user, sar) -> bool:
    return is_dpo(user)


def request_pause(request, pk):
    def save(sar, data):
        return services.request_pause(actor=request.user, request=sar, **data)

    return _request_form(request, pk, form_class=PauseForm, save=save, success="The clock is stopped.",
                         heading="Stop the clock", submit_label="Stop the clock", may_act=_dpo_only,
                         initial={"paused_from": timezone.localdate()},
                         intro="While you wait for information you need to confirm who the requester is, or for "
                               "them to say what they are asking for, the time to answer does not run. Ask without "
                               "delay; the deadline moves on by every day the clock is stopped.")


def _resume_intro(sar) -> str:
    if not sar.paused:
        return "The clock is running: there is no pause to end."
    return (f"The clock stopped on {sar.paused_since:%-d %b %Y}, waiting for {sar.get_paused_for_display()}. "
            "The deadline moves on by the days from then to the day it restarts.")


def request_resume(request, pk):
    def save(sar, data):
        return services.request_resume(actor=request.user, request=sar, **data)

    return _request_form(request, pk, form_class=ResumeForm, save=save,
                         success=lambda pause: f"The clock runs again: the answer is due by "
                                               f"{pause.request.deadline:%-d %b %Y}.",
                         heading="Restart the clock", submit_label="Restart the clock", may_act=_dpo_only,
                         initial={"resumed_on": timezone.localdate()}, intro=_resume_intro)


def _step(request, sar, service, success, **kwargs):
    try:
        result = service(actor=request.user, request=sar, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success)
    return result


@require_POST
def request_gather(request, pk):
    sar = get_request_for(request.user, pk)
    if _step(request, sar, services.request_gather, "Everything held about the person is gathered. "
             "Review the redactions, then release the pack."):
        return redirect("privacy:request_review", sar.pk)
    return redirect(sar)


@require_safe
def request_review(request, pk):
    sar = get_request_for(request.user, pk)
    items = items_for(request.user, sar).select_related("school", "decided_by").prefetch_related(
        "redactions__decided_by").order_by("dated", "pk")
    page = CappedPaginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    ctx = Context(sar.person)
    rows = [_review_row(request.user, sar, item, ctx) for item in page]
    return render(request, "privacy/request_review.html", {
        "sar": sar, "page": page, "rows": rows, "is_open": sar.is_open,
        "page_url": f"{reverse('privacy:request_review', args=[sar.pk])}?page={page.number}",
    })


def _review_row(user, sar, item, ctx) -> dict:
    redactions = list(item.redactions.all())
    numbers = {r.pk: n for n, r in enumerate(redactions, start=1)}
    redactor = Redactor(redactions, ctx.own_words, ctx.own_names)
    may_decide = sar.is_open and (
        has_role(user, item.school_id, {Role.HEAD}) if item.needs_head_decision else item.needs_decision)
    return {
        "item": item, "title": redactor.review_html(item.title, numbers),
        "redactions": [(numbers[r.pk], r) for r in redactions],
        "fields": [(label, redactor.review_html(value, numbers)) for label, value in item.fields],
        "may_decide": may_decide, "decision_form": ItemDecisionForm(prefix=f"item{item.pk}"),
        "redaction_form": RedactionDecisionForm(), "released": item.decision == ItemDecision.RELEASE,
    }


@require_safe
def item_detail(request, pk):
    item = get_item_for(request.user, pk)
    sar = item.request
    row = _review_row(request.user, sar, item, Context(sar.person))
    return render(request, "privacy/item_detail.html", {"sar": sar, "row": row, "is_open": sar.is_open,
                                                        "page_url": reverse("privacy:item_detail", args=[item.pk])})


def _back(request, default):
    target = request.POST.get("next", "")
    # Only this app's own pages: never an address from the form.
    return target if target.startswith("/privacy/") and "//" not in target else default


@require_POST
def redaction_decide(request, pk):
    redaction = get_redaction_for(request.user, pk)
    form = RedactionDecisionForm(request.POST)
    back = _back(request, reverse("privacy:item_detail", args=[redaction.item_id]))
    if not form.is_valid():
        messages.error(request, "Choose to release or keep the redaction, and give the reason.")
        return redirect(back)
    try:
        services.redaction_decide(actor=request.user, redaction=redaction, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The decision is recorded.")
    return redirect(f"{back}#item-{redaction.item_id}")


@require_POST
def item_decide(request, pk):
    item = get_item_for(request.user, pk)
    form = ItemDecisionForm(request.POST, prefix=f"item{item.pk}")
    back = _back(request, reverse("privacy:item_detail", args=[item.pk]))
    if not form.is_valid():
        messages.error(request, "Choose to release or withhold the record, and give the reason.")
        return redirect(back)
    try:
        services.item_decide(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The decision is recorded.")
    return redirect(f"{back}#item-{item.pk}")


def _pdf(data: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response


@require_safe
def request_preview(request, pk):
    """The pack as it would be released now, marked DRAFT, with only the records this user may see."""
    sar = get_request_for(request.user, pk)
    if not sar.is_open:
        return redirect("privacy:pack_pdf", sar.pk)
    items = [i for i in pack_items(sar) if may_handle_school(request.user, i.school_id)]
    audit_log(request.user, "sar_preview", sar)
    return _pdf(render_pack_pdf(sar, items, viewer=request.user, draft=True), f"draft-{sar.reference}.pdf",
                attachment=False)


@require_POST
def request_release(request, pk):
    sar = get_request_for(request.user, pk)
    try:
        services.request_release(actor=request.user, request=sar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The pack is released. Send the PDF and the ZIP file to the requester.")
    return redirect(sar)


def _released_pack(user, pk):
    sar = get_request_for(user, pk)
    pack = getattr(sar, "pack", None) if not sar.is_open else None
    # A head who sees only part of a trust-wide pack does not take the whole of it away.
    if pack is None or not pack.pdf or items_for(user, sar).count() != sar.items.count():
        raise Http404("No released pack.")
    return sar, pack


@require_safe
def pack_pdf(request, pk):
    sar, pack = _released_pack(request.user, pk)
    audit_log(request.user, "sar_pack_download", sar, sha256=pack.pdf_sha256)
    return FileResponse(pack.pdf.open("rb"), as_attachment=True, filename=f"{sar.reference}-pack.pdf",
                        content_type="application/pdf")


@require_safe
def pack_zip(request, pk):
    sar, pack = _released_pack(request.user, pk)
    audit_log(request.user, "sar_zip_download", sar, sha256=pack.zip_sha256)
    return FileResponse(pack.zip.open("rb"), as_attachment=True, filename=f"{sar.reference}-pack.zip",
                        content_type="application/zip")
