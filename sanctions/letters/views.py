"""Pages for letters (draft, edit, preview, issue, correct) and the case summary PDF.

Every object is fetched through a selector that 404s outside the user's
schools; the role check here only decides whether to show a form (403
otherwise); the service called on POST checks everything again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from conduct.access import record_view
from conduct.audit import audit_log
from conduct.dates import page_date
from conduct.permissions import has_role, require_role
from conduct.roles import CASE_LEADERS, Role
from incidents.models import Involvement
from incidents.selectors import get_incident_for
from sanctions.letters import rendering as renderer
from sanctions.letters import services as letter_services
from sanctions.letters.delivery import delivery_panel
from sanctions.letters.formats import formats_panel
from sanctions.letters.forms import (
    REASONS_PRINTED,
    CaseAccountForm,
    LetterEditForm,
    LetterFactsForm,
    LetterIssueForm,
    LetterNewForm,
)
from sanctions.letters.selectors import get_letter_for
from sanctions.letters.summary import case_summary_context, may_see_full_names
from sanctions.models import (
    BAN_LETTER_KINDS,
    BanStatus,
    CaseAccount,
    Letter,
    LetterKind,
    LetterStatus,
    SentBy,
    SiteBan,
)
from sanctions.pages import form_page

HEAD = {Role.HEAD}

ACCOUNT_INTRO = ("Every letter on this case starts from this account; each draft can still be changed before it is "
                 "issued, and the wording last sent becomes the account again. ")
ACCOUNT_STAFF = ("It is still the office's description, written for staff: rewrite it for the parent before a "
                 "letter uses it.")


def _pdf_response(data: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# Letters ----------------------------------------------------------------------------------


def letter_new(request, pk):
    incident = get_incident_for(request.user, pk)
    require_role(request.user, incident.school, CASE_LEADERS, "draft letters")
    people = incident.people.filter(incident_links__involvement=Involvement.SUBJECT, incident_links__incident=incident)
    bans = list(SiteBan.objects.filter(incident=incident).select_related("person").order_by("-created_at", "-pk"))
    options = letter_services.letter_options(incident, bans)
    allowed = [option["kind"] for option in options if not option["reason"]]
    wanted = request.GET.get("kind", "")
    initial = {"kind": wanted if wanted in allowed else (allowed[0] if len(allowed) == 1 else "")}
    form = LetterNewForm(request.POST or None, initial=initial, people=people, kinds=allowed)

    def save(data):
        ban = review = None
        if data["kind"] in BAN_LETTER_KINDS:
            ban, review = letter_services.fitting_ban(incident=incident, kind=data["kind"], person=data["person"],
                                                      bans=bans)
        return letter_services.letter_draft(actor=request.user, incident=incident, kind=data["kind"],
                                            person=data["person"], ban=ban, review=review)

    unavailable = _grouped_by_reason([option for option in options if option["reason"]])
    return form_page(request, incident=incident, form=form, save=save, success="Draft letter created.",
                      heading="Draft a letter", submit_label="Create the draft",
                      template="sanctions/letters/letter_new.html", extra={"unavailable": unavailable},
                      done_url=lambda letter: reverse("sanctions:letter_detail", args=[letter.pk]))


def _grouped_by_reason(options) -> list[dict]:
    """Kinds refused for the same reason, with the same step to enable them, share one line."""
    groups = {}
    for option in options:
        step = option["step"]
        link = {"label": step[0], "url": reverse(f"sanctions:{step[1]}", args=[step[2]])} if step else None
        key = (option["reason"], link and link["url"])
        groups.setdefault(key, {"labels": [], "reason": option["reason"], "step": link})["labels"].append(
            option["label"])
    return list(groups.values())


@require_safe
def letter_detail(request, pk):
    letter = get_letter_for(request.user, pk)
    school = letter.incident.school
    record_view(request.user, "letter", letter, school.pk)
    is_draft = letter.status == LetterStatus.DRAFT
    is_leader = has_role(request.user, school, CASE_LEADERS)
    correction = Letter.objects.filter(supersedes=letter).first()
    return render(request, "sanctions/letters/page_detail.html", {
        "letter": letter, "incident": letter.incident, "is_draft": is_draft,
        "facts": renderer.paragraphs(letter.facts), "specific": renderer.paragraphs(letter.specific_paragraphs),
        "reasons": renderer.paragraphs(letter.reasons), "prints_reasons": letter.kind in REASONS_PRINTED,
        "staff_wording": is_draft and not letter.facts_for_parent, "staff_wording_why": letter_services.STAFF_WORDING,
        "can_edit": is_draft and is_leader,
        # The rewrite the draft needs, in place: no trip to the edit page and back.
        "facts_form": LetterFactsForm(initial=_facts_initial(letter))
        if is_draft and is_leader and not letter.facts_for_parent else None,
        "can_issue": is_draft and has_role(request.user, school, HEAD),
        "issue_form": LetterIssueForm.for_person(letter.person),
        "can_correct": letter.status == LetterStatus.ISSUED and is_leader and correction is None,
        "correction": correction,
        "next_steps": what_comes_next(letter) if letter.status == LetterStatus.ISSUED else [],
        "next_link": _representations_link(letter) if letter.status == LetterStatus.ISSUED and is_leader else None,
        "unchanged": _unchanged_since_issued(letter) if is_draft and letter.facts_for_parent else None,
        **delivery_panel(request.user, letter),
        **formats_panel(request.user, letter),
    })


def _unchanged_since_issued(letter) -> dict | None:
    """The words of a draft that are the same as in the last letter issued to the person on this case (the
    confirmation after the provisional ban): the head checked them then, so the page folds them away."""
    issued = (Letter.objects.filter(incident_id=letter.incident_id, person_id=letter.person_id,
                                    status=LetterStatus.ISSUED).exclude(pk=letter.pk)
              .only("kind", "issued_at", "facts", "pupil_arrangements").order_by("-issued_at", "-pk").first())
    if issued is None:
        return None
    facts = bool(letter.facts.strip()) and letter.facts.strip() == issued.facts.strip()
    arrangements = bool(letter.ban_id and letter.pupil_arrangements.strip()
                        and letter.pupil_arrangements.strip() == issued.pupil_arrangements.strip())
    names = [name for name, same in (("what happened", facts), ("your child's drop-off and collection",
                                                                 arrangements)) if same]
    if not names:
        return None
    return {"since": issued, "facts": facts, "arrangements": arrangements, "names": " and ".join(names)}


def _representations_link(letter) -> dict | None:
    """A notice or provisional ban asks for representations: recording them is the next thing done."""
    ban = letter.ban
    if letter.kind not in (LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN) or ban is None:
        return None
    if ban.status not in (BanStatus.INTENDED, BanStatus.PROVISIONAL):
        return None
    return {"label": "Record representations", "url": reverse("sanctions:representation_new", args=[ban.pk])}


def what_comes_next(letter) -> list[str]:
    """After issuing: what the letter sets going, with its dates."""
    ban = letter.ban
    steps = {
        LetterKind.MEETING_INVITATION: ["Record the meeting on the case once it has taken place."],
        LetterKind.WARNING: ["The warning is on the record: close the case once its other actions are done."],
        LetterKind.BAN_WITHDRAWN: ["The ban is over: close the case once its other actions are done."],
    }.get(letter.kind)
    if steps is not None or ban is None:
        return steps or []
    if letter.kind in (LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN):
        start = (f"The ban would start on {page_date(ban.starts_on)} only if you confirm it."
                 if letter.kind == LetterKind.INTENDED_BAN else "The ban is in force now.")
        return [start, f"Representations are due by {page_date(ban.representations_by)}: record them on the "
                       "ban's page as they arrive.",
                "After that date, or once they are recorded, the head confirms or withdraws the ban."]
    return [f"The ban is to be reviewed by {page_date(ban.review_on)}.", f"It ends on {page_date(ban.ends_on)}."]


def letter_edit(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, CASE_LEADERS, "edit letters")
    if letter.status != LetterStatus.DRAFT:
        messages.error(request, "This letter has been issued and can never change. Write a correction instead.")
        return redirect("sanctions:letter_detail", letter.pk)
    form = LetterEditForm(request.POST or None, letter=letter, initial={
        "facts": letter.facts, "reasons": letter.reasons, "pupil_arrangements": letter.pupil_arrangements,
        "specific_paragraphs": letter.specific_paragraphs, "collectors_note": letter.collectors_note,
        "version": letter.version})

    def save(data):
        return letter_services.letter_update(actor=request.user, letter=letter, facts=data["facts"],
                                             specific_paragraphs=data["specific_paragraphs"],
                                             reasons=data.get("reasons"),
                                             pupil_arrangements=data.get("pupil_arrangements"),
                                             collectors_note=data.get("collectors_note"),
                                             expected_version=data["version"])

    return form_page(request, incident=letter.incident, form=form, save=save, success="Draft saved.",
                      heading=f"Edit the draft: {letter.get_kind_display()}", submit_label="Save the draft",
                      done_url=reverse("sanctions:letter_detail", args=[letter.pk]))


def letter_facts(request, pk):
    """The draft's account rewritten for the parent, from the letter's own page: its other words are kept."""
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, CASE_LEADERS, "edit letters")
    if letter.status != LetterStatus.DRAFT:
        messages.error(request, "This letter has been issued and can never change. Write a correction instead.")
        return redirect("sanctions:letter_detail", letter.pk)
    form = LetterFactsForm(request.POST or None, initial=_facts_initial(letter))

    def save(data):
        return letter_services.letter_update(actor=request.user, letter=letter, facts=data["facts"],
                                             specific_paragraphs=letter.specific_paragraphs,
                                             expected_version=data["version"])

    return form_page(request, incident=letter.incident, form=form, save=save, success="Draft saved.",
                     heading=f"Rewrite what happened for the parent: {letter.get_kind_display()}",
                     submit_label="Save for the parent",
                     done_url=reverse("sanctions:letter_detail", args=[letter.pk]))


def _facts_initial(letter) -> dict:
    return {"facts": letter.facts, "version": letter.version}


def case_account_edit(request, pk):
    """What happened, as the case's letters tell it: written once for the parent, reused by each letter."""
    incident = get_incident_for(request.user, pk)
    require_role(request.user, incident.school, CASE_LEADERS, "write the account letters give")
    account = CaseAccount.objects.filter(incident=incident).first()
    initial = {"text": account.text if account else incident.description, "version": account.version if account else 1}
    form = CaseAccountForm(request.POST or None, initial=initial)

    def save(data):
        return letter_services.case_account_update(actor=request.user, incident=incident, text=data["text"],
                                                   expected_version=data["version"])

    staff_wording = account is None or not account.for_parent
    return form_page(request, incident=incident, form=form, save=save, success="The account for letters is saved.",
                      heading="What happened, as letters tell it", submit_label="Save for the parent",
                      done_url=incident.get_absolute_url(),
                      extra={"intro": ACCOUNT_INTRO + (ACCOUNT_STAFF if staff_wording else "")})


@require_safe
def letter_preview(request, pk):
    letter = get_letter_for(request.user, pk)
    if letter.status != LetterStatus.DRAFT:
        # What was sent is the stored PDF, not a fresh rendering.
        return redirect("sanctions:letter_download", letter.pk)
    return HttpResponse(renderer.letter_html(letter, for_pdf=False))


@require_safe
def letter_preview_pdf(request, pk):
    letter = get_letter_for(request.user, pk)
    if letter.status != LetterStatus.DRAFT:
        return redirect("sanctions:letter_download", letter.pk)
    record_view(request.user, "letter", letter, letter.incident.school_id)
    return _pdf_response(renderer.letter_pdf(letter), f"draft-{letter.incident.reference}-{letter.kind}.pdf",
                         attachment=False)


@require_POST
def letter_issue(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, HEAD, "issue letters")
    form = LetterIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say how the letter is sent before issuing it.")
        return redirect("sanctions:letter_detail", letter.pk)
    try:
        letter_services.letter_issue(actor=request.user, letter=letter, sent_by=form.cleaned_data["sent_by"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        letter.refresh_from_db(fields=["sent_by", "delivered_at"])
        if letter.sent_by == SentBy.EMAIL and letter.delivered_at is None:
            messages.warning(request, "The letter is issued, but the email did not go: see “Sending” to send it "
                                      "again.")
        else:
            messages.success(request, "The letter is issued: its PDF is stored exactly as issued and can never "
                                      "change. What comes next is below.")
    return redirect("sanctions:letter_detail", letter.pk)


@require_safe
def letter_download(request, pk):
    letter = get_letter_for(request.user, pk)
    if letter.status == LetterStatus.DRAFT or letter.pdf is None:
        raise Http404("This letter has not been issued.")
    audit_log(request.user, "letter_download", letter, sha256=letter.sha256)
    record_view(request.user, "letter", letter, letter.incident.school_id)
    filename = f"{letter.incident.reference}-{letter.kind}-{letter.pk}.pdf"
    return _pdf_response(bytes(letter.pdf), filename, attachment=True)


@require_POST
def letter_correct(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, CASE_LEADERS, "correct letters")
    try:
        new = letter_services.letter_correct(actor=request.user, letter=letter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sanctions:letter_detail", letter.pk)
    messages.success(request, "A correction is drafted. Once issued, it supersedes the original letter.")
    return redirect("sanctions:letter_detail", new.pk)


@require_POST
def letter_discard(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, CASE_LEADERS, "discard letters")
    incident = letter.incident
    try:
        letter_services.letter_discard(actor=request.user, letter=letter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sanctions:letter_detail", letter.pk)
    messages.success(request, "The draft is discarded.")
    return redirect(incident)


# The case summary --------------------------------------------------------------------------


@require_safe
def case_summary(request, pk):
    incident = get_incident_for(request.user, pk)
    full = request.GET.get("names") == "full"
    if full and not may_see_full_names(request.user, incident):
        raise PermissionDenied("Your role sees pupils' names as initials only.")
    context = case_summary_context(request.user, incident, full_names=full)
    audit_log(request.user, "case_summary_pdf", incident, full_names=full)
    record_view(request.user, "case_summary", incident, incident.school_id)
    return _pdf_response(renderer.case_summary_pdf(context), f"{incident.reference}-case-summary.pdf",
                         attachment=True)


