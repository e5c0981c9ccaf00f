"""Pages for site bans, representations, reviews, the ban register, and the case page's letters and bans panel.

Every object is fetched through a selector that 404s outside the user's
schools; the role check here only decides whether to show a form (403
otherwise); the service called on POST checks everything again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conduct.access import record_lookup, record_view
from conduct.audit import audit_log
from conduct.authorised import authorised_people
from conduct.csv_safe import csv_lines
from conduct.params import query_text, soft_id
from conduct.permissions import has_role, require_role, school_ids_with_role
from conduct.roles import CASE_LEADERS, STAFF_WRITERS, Role
from incidents.models import Collector, Involvement
from incidents.selectors import get_incident_for
from incidents.views import NOT_SAVED, save_through_service
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.bans.forms import (
    BanForm,
    BreachForm,
    ConfirmForm,
    ExtensionConsultationForm,
    RepresentationForm,
    ReviewForm,
    WithdrawForm,
)
from sanctions.bans.register import (
    BLOCK_REASON,
    CHECK_MIN,
    EXPORTERS,
    RETURN_DAYS,
    SOON_DAYS,
    block_list,
    check_visitor,
    get_register_ban_for,
    register_choices,
    register_for,
    what_to_do,
)
from sanctions.bans.selectors import AWAITING_DECISION, get_ban_for, get_representation_for
from sanctions.case_records import case_records
from sanctions.letters.selectors import account_written_for_parent
from sanctions.letters.summary import may_see_full_names
from sanctions.models import ActionKind, BanStatus, LetterKind, LetterStatus
from sanctions.pages import form_page

HEAD = {Role.HEAD}
# A ban broken more often than this is a matter for the police; its page shows the latest.
BREACHES_SHOWN = 50
# What reception may type to check a visitor: a name, not an essay.
CHECK_LENGTH = 100


# Bans -------------------------------------------------------------------------------------


def ban_new(request, pk):
    incident = get_incident_for(request.user, pk)
    require_role(request.user, incident.school, HEAD, "ban a person from the school site")
    people = incident.people.filter(incident_links__involvement=Involvement.SUBJECT, incident_links__incident=incident)
    form = BanForm(request.POST or None, initial=BanForm.initial_for(incident.school), people=people,
                   sites=ban_services.ban_sites(incident.school),
                   collectors=Collector.objects.filter(person__in=people, school=incident.school),
                   account_written=account_written_for_parent(incident))

    def save(data):
        return ban_services.ban_create(actor=request.user, incident=incident, **data)

    return form_page(request, incident=incident, form=form, save=save,
                      success="The ban is recorded and its letter drafted. The parent has not yet been told: "
                              "check the letter, then issue it.",
                      heading="Ban from the school site", submit_label="Record the ban",
                      confirm="Record this ban? The parent must then be sent the letter.",
                      done_url=_its_draft_letter)


def _its_draft_letter(ban) -> str:
    """After a step that drafts the ban's letter, its "check and issue" page: the success message asks for
    that next. The ban's page when no draft is waiting."""
    draft = ban.letters.filter(status=LetterStatus.DRAFT).order_by("-drafted_at", "-pk").only("pk").first()
    return reverse("sanctions:letter_detail", args=[draft.pk]) if draft else reverse("sanctions:ban_detail",
                                                                                     args=[ban.pk])


@require_safe
def ban_detail(request, pk):
    ban = get_ban_for(request.user, pk)
    school = ban.incident.school
    today = timezone.localdate()
    is_head = has_role(request.user, school, HEAD)
    is_leader = has_role(request.user, school, CASE_LEADERS)
    awaiting = ban.status in AWAITING_DECISION
    letters = list(ban.letters.select_related("person").defer("pdf", "html").order_by("drafted_at", "pk"))
    draft = next((letter for letter in letters if letter.status == LetterStatus.DRAFT), None)
    return render(request, "sanctions/bans/ban_detail.html", {
        "ban": ban, "incident": ban.incident, "sites": ban.sites.order_by("name"),
        "representations": ban.representations.select_related("recorded_by"),
        "reviews": ban.reviews.select_related("reviewed_by", "consultation"),
        "consultations": ban.extension_consultations.select_related("chair"),
        "letters": letters, "draft": draft, "untold": not parent_told(ban, letters),
        "breaches": ban.breaches.select_related("incident").order_by("-incident__occurred_at", "-pk")[:BREACHES_SHOWN],
        "status_text": status_text(ban, told=parent_told(ban, letters)),
        "today": today,
        "can_record": awaiting and is_leader,
        "can_note_none": awaiting and is_leader and today > ban.representations_by
        and not ban.no_representations_noted and not ban.representations.exists(),
        "can_confirm": awaiting and is_head,
        "confirm_blocked": awaiting and today <= ban.representations_by and not ban.representations.exists(),
        "can_withdraw": awaiting and is_head,
        "can_review": ban.status == BanStatus.CONFIRMED and is_head,
        "can_consult": ban.status == BanStatus.CONFIRMED and has_role(request.user, school, {Role.CHAIR}),
        "can_end": ban.status in (BanStatus.CONFIRMED, BanStatus.PROVISIONAL) and is_head and today > ban.ends_on,
        "unused_signoff": ban_services.unused_extension_signoff(ban),
    })


def status_text(ban, *, told) -> str:
    """The ban's status as its page shows it, saying when the parent has not yet been sent its letter."""
    if told:
        return ban.get_status_display()
    if ban.in_force:
        return f"{ban.get_status_display().split(':')[0]}: in force; the parent has not yet been told"
    return f"{ban.get_status_display()}; the parent has not yet been told"


def parent_told(ban, letters) -> bool:
    """Whether a letter telling the parent of the ban's present status has been issued."""
    kinds = TOLD_BY.get(ban.status, set())
    return not kinds or any(
        letter.kind in kinds and letter.status != LetterStatus.DRAFT for letter in letters
    )


# The letters that tell the parent of each status (a confirmed ban was told when confirmed, or on review).
TOLD_BY = {
    BanStatus.INTENDED: {LetterKind.INTENDED_BAN},
    BanStatus.PROVISIONAL: {LetterKind.PROVISIONAL_BAN},
    BanStatus.CONFIRMED: {LetterKind.BAN_CONFIRMATION, LetterKind.BAN_REVIEW},
    BanStatus.WITHDRAWN: {LetterKind.BAN_WITHDRAWN},
    BanStatus.LIFTED: {LetterKind.BAN_WITHDRAWN},
}


def _ban_form(request, pk, *, roles, what, form_class, save, success, heading, submit_label, confirm="",
              multipart=False, initial=None, to_letter=False, **page):
    ban = get_ban_for(request.user, pk)
    require_role(request.user, ban.incident.school, roles, what)
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    done_url = (lambda _saved: _its_draft_letter(ban)) if to_letter else reverse("sanctions:ban_detail", args=[ban.pk])
    return form_page(request, incident=ban.incident, form=form, save=lambda data: save(ban, data),
                      success=success, heading=heading, submit_label=submit_label, confirm=confirm,
                      multipart=multipart, done_url=done_url, **page)


def representation_new(request, pk):
    def save(ban, data):
        return ban_services.representation_record(actor=request.user, ban=ban, **data)

    return _ban_form(request, pk, roles=CASE_LEADERS, what="record representations", form_class=RepresentationForm,
                     save=save, success="The representations are recorded.",
                     heading="Record the parent's representations",
                     submit_label="Record the representations", multipart=True,
                     initial={"received_on": timezone.localdate()})


def _ban_button(request, pk, *, roles, what, service, success):
    """A one-click step on a ban (a POST button on its page) through its service."""
    ban = get_ban_for(request.user, pk)
    require_role(request.user, ban.incident.school, roles, what)
    try:
        service(actor=request.user, ban=ban)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("sanctions:ban_detail", ban.pk)


@require_POST
def ban_no_representations(request, pk):
    return _ban_button(request, pk, roles=CASE_LEADERS, what="note that no representations came",
                       service=ban_services.ban_note_no_representations,
                       success="Noted: no representations were received by the deadline.")


def ban_confirm(request, pk):
    def save(ban, data):
        return ban_services.ban_confirm(actor=request.user, ban=ban, reasons=data["reasons"])

    ban = get_ban_for(request.user, pk)
    # The head weighs the ban and what the parent said on the same page as the decision.
    extra = {"ban": ban, "sites": ban.sites.order_by("name"),
             "representations": ban.representations.select_related("recorded_by")}
    return _ban_form(request, pk, roles=HEAD, what="confirm a ban", form_class=ConfirmForm, save=save,
                     success="The ban is confirmed and the confirmation letter drafted. The parent has not yet "
                             "been told: check the letter, then issue it.",
                     heading="Confirm the ban", submit_label="Confirm the ban",
                     confirm="Confirm this ban? The parent must then be sent the confirmation letter.",
                     template="sanctions/bans/confirm_form.html", extra=extra, to_letter=True)


def ban_withdraw(request, pk):
    def save(ban, data):
        return ban_services.ban_withdraw(actor=request.user, ban=ban, reasons=data["reasons"])

    return _ban_form(request, pk, roles=HEAD, what="withdraw a ban", form_class=WithdrawForm, save=save,
                     success="The ban is withdrawn and its letter drafted: check the letter, then issue it.",
                     heading="Withdraw the ban", submit_label="Withdraw the ban", confirm="Withdraw this ban?",
                     to_letter=True)


def ban_review_new(request, pk):
    def save(ban, data):
        return ban_services.ban_review(actor=request.user, ban=ban, **data)

    return _ban_form(request, pk, roles=HEAD, what="review a ban", form_class=ReviewForm, save=save,
                     success="The review is recorded and its letter drafted.", heading="Review the ban",
                     submit_label="Record the review", confirm="Record this review? It cannot be undone.")


def ban_extension_consult(request, pk):
    def save(ban, data):
        return ban_services.ban_extension_consult(actor=request.user, ban=ban, **data)

    return _ban_form(request, pk, roles={Role.CHAIR}, what="record the Chair's consultation",
                     form_class=ExtensionConsultationForm, save=save, success="Your consultation is recorded.",
                     heading="Chair's consultation on extending the ban", submit_label="Record the consultation",
                     confirm="Record your consultation? It cannot be changed afterwards.",
                     initial={"consulted_on": timezone.localdate()})


@require_POST
def ban_end(request, pk):
    return _ban_button(request, pk, roles=HEAD, what="end a ban", service=ban_services.ban_end,
                       success="The ban is recorded as ended.")


@require_safe
def representation_attachment(request, pk):
    representation = get_representation_for(request.user, pk)
    if not representation.attachment:
        raise Http404("No attachment.")
    audit_log(request.user, "representation_download", representation)
    record_view(request.user, "representation", representation, representation.ban.incident.school_id)
    return FileResponse(representation.attachment.open("rb"), as_attachment=True,
                        filename=representation.attachment_name or "attachment")


# The ban register at reception ---------------------------------------------------------------


def _registers_with_authorised(registers):
    authorised = authorised_people([r.school.pk for r in registers])
    for register in registers:
        register.authorised = authorised.get(register.school.pk, [])
        register.what_to_do = what_to_do(register.school)
    return registers


def _register_context(request) -> dict:
    school_id = soft_id(request.GET, "school")
    text = query_text(request.GET, "q")
    registers = _registers_with_authorised(register_for(request.user, school_id, text))
    may_report = school_ids_with_role(request.user, STAFF_WRITERS)
    for register in registers:
        register.may_report = register.school.pk in may_report
    return {"registers": registers, "today": timezone.localdate(), "choices": register_choices(request.user),
            "chosen": registers[0].school if registers else None, "q": text, "soon_days": SOON_DAYS,
            "return_days": RETURN_DAYS, "may_export": bool(school_ids_with_role(request.user, EXPORTERS)),
            "check_min": CHECK_MIN}


@require_safe
def ban_register(request):
    return render(request, "sanctions/bans/register.html", _register_context(request))


@require_safe
def ban_register_print(request):
    return render(request, "sanctions/bans/register_print.html", _register_context(request))


@require_safe
def ban_check(request):
    """Reception types a visitor's name; every check is written to the access log, matched or not."""
    school_id = soft_id(request.GET, "school")
    typed = query_text(request.GET, "name", max_length=CHECK_LENGTH)
    schools, results = check_visitor(request.user, school_id, typed)
    if len(typed) >= CHECK_MIN:
        for school in schools:
            matched = [r for r in results if r.ban.incident.school_id == school.pk]
            names = ", ".join(r.ban.person.full_name for r in matched) or "nobody"
            record_lookup(request.user, "visitor_check", school.pk, f"Typed “{typed}”; matched {names}"[:300],
                          sorted({r.ban.person_id for r in matched}))
    by_school = {s.pk: s for s in schools}
    for result in results:
        result.what_to_do = what_to_do(by_school[result.ban.incident.school_id])
    return render(request, "sanctions/bans/check.html", {
        "typed": typed, "results": results, "schools": schools, "today": timezone.localdate(),
        "too_short": 0 < len(typed) < CHECK_MIN, "check_min": CHECK_MIN, "choices": register_choices(request.user),
        "chosen": schools[0] if schools else None,
    })


@require_safe
def ban_register_export(request):
    """The block list for the visitor sign-in system: what reception needs to stop someone at the door."""
    schools, bans = block_list(request.user)
    if not schools:
        raise PermissionDenied("Only the office and the Head of School may export the block list.")
    for school in schools:
        listed = sorted({b.person_id for b in bans if b.incident.school_id == school.pk})
        record_lookup(request.user, "register_export", school.pk,
                      f"Block list for the visitor system: {len(listed)} people", listed)
    response = HttpResponse(
        "".join(csv_lines([BLOCK_LIST_COLUMNS, *(block_list_row(ban) for ban in bans)], byte_order_mark=True)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="block-list-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


BLOCK_LIST_COLUMNS = ["Full Name", "Aliases", "Emails", "Phones", "Reason", "Start", "End", "Site"]


def block_list_row(ban) -> list:
    return [ban.person.full_name, "; ".join(ban.other_names), ban.person.email, ban.person.phone, BLOCK_REASON,
            ban.starts_on.isoformat(), ban.ends_on.isoformat(), ban.incident.school.name]


@require_safe
def register_photo(request, pk):
    """The photo of a person on a ban the user may read: on the register, the name check and the person page."""
    ban = get_ban_for(request.user, pk)
    if not ban.person.photo:
        raise Http404("No photo.")
    return FileResponse(ban.person.photo.open("rb"))


def ban_breach_new(request, pk):
    """A banned person came onto the site: recorded in one step from their register entry."""
    ban = get_register_ban_for(request.user, pk)
    school = ban.incident.school
    require_role(request.user, school, STAFF_WRITERS, "report a breach of a ban")
    form = BreachForm(request.POST or None, initial=BreachForm.initial_values())
    breach = save_through_service(request, form,
                                  lambda data: ban_services.ban_breach_record(actor=request.user, ban=ban, **data),
                                  "The breach is recorded as a new case; the head and case leaders have been emailed.")
    if breach is not NOT_SAVED:
        return redirect(breach.incident.get_absolute_url())
    return render(request, "sanctions/bans/breach_form.html", {
        "form": form, "ban": ban, "school": school, "what_to_do": what_to_do(school),
        "authorised": authorised_people([school.pk]).get(school.pk, []),
    })


# The case page's letters and bans panel ------------------------------------------------------


def letters_bans_panel_provider(request, incident):
    user, school = request.user, incident.school
    is_head = has_role(user, school, HEAD)
    is_leader = has_role(user, school, CASE_LEADERS)
    records = case_records(incident)
    letters, bans = records.letters, records.bans
    next_actions, missing = [], []
    today = timezone.localdate()
    decision = records.latest_decision

    def offer(label, name, *args, query=""):
        next_actions.append({"label": label, "url": reverse(f"sanctions:{name}", args=args) + query})

    if incident.stage == Stage.DECIDED and decision is not None:
        done = {a.kind for a in records.actions_of(decision) if a.done}
        if ActionKind.SITE_BAN in decision.actions and not bans:
            missing.append("The ban itself: its route, sites and dates.")
            if is_head:
                offer("Ban from the school site", "ban_new", incident.pk)
        wanted = ((ActionKind.WARNING_LETTER, LetterKind.WARNING, "Draft the warning letter"),
                  (ActionKind.MEETING, LetterKind.MEETING_INVITATION, "Draft the meeting invitation"))
        for action, kind, label in wanted:
            if action in decision.actions and action not in done and not any(x.kind == kind for x in letters):
                if is_leader:
                    offer(label, "letter_new", incident.pk, query=f"?kind={kind}")
    drafts = [letter for letter in letters if letter.status == LetterStatus.DRAFT]
    for letter in drafts:
        missing.append(f"Issue the draft: {letter.get_kind_display()} to {letter.person.full_name}"
                       + ("" if letter.facts_for_parent else ", once what happened is written for the parent") + ".")
    if drafts and is_head:
        # Until the parent has the letter, sending it is the case's next step.
        label = "Check and issue the letter" if len(drafts) == 1 else f"Check and issue: {drafts[0].get_kind_display()}"
        offer(label, "letter_detail", drafts[0].pk)
        next_actions[-1]["first"] = True
    elif any(not letter.facts_for_parent for letter in drafts) and is_leader:
        offer("Write what happened for the parent", "case_account_edit", incident.pk)
        next_actions[-1]["first"] = True
    for ban in bans:
        ban.breach_list = records.breaches_of(ban)
    for ban in bans:
        ban.status_text = status_text(ban, told=parent_told(ban, [x for x in letters if x.ban_id == ban.pk]))
    for ban in bans:
        if ban.status in AWAITING_DECISION and is_head:
            if ban.representation_count or today > ban.representations_by:
                offer("Confirm or withdraw the ban", "ban_detail", ban.pk)
        elif ban.status == BanStatus.CONFIRMED and is_head and ban.review_on <= today:
            offer("Review the ban", "ban_review_new", ban.pk)
    panel = {
        "incident": incident, "letters": letters, "bans": bans, "today": today,
        "breach_of": records.breach_recorded_by(incident),
        "can_draft": is_leader and incident.stage in (Stage.DECIDED, Stage.CLOSED),
        "full_names_allowed": may_see_full_names(user, incident),
    }
    return {"panels": [{"template": "sanctions/_letters_bans_panel.html", "context": panel}],
            "next_actions": next_actions, "missing": missing}
