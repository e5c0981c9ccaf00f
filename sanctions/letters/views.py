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
from conduct.permissions import has_role, require_role
from conduct.roles import CASE_LEADERS, Role
from incidents.models import Involvement
from incidents.selectors import get_incident_for
from sanctions.letters import rendering as renderer
from sanctions.letters import services as letter_services
from sanctions.letters.forms import LetterEditForm, LetterIssueForm, LetterNewForm
from sanctions.letters.selectors import get_letter_for
from sanctions.letters.summary import case_summary_context, may_see_full_names
from sanctions.models import Letter, LetterKind, LetterStatus, SiteBan
from sanctions.pages import form_page

HEAD = {Role.HEAD}


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
    bans = SiteBan.objects.filter(incident=incident)
    initial = {"kind": request.GET.get("kind", "")}
    form = LetterNewForm(request.POST or None, initial=initial, people=people, bans=bans)

    def save(data):
        ban = data["ban"]
        review = None
        if ban and data["kind"] == LetterKind.BAN_REVIEW:
            review = ban.reviews.order_by("-reviewed_on", "-pk").first()
        return letter_services.letter_draft(actor=request.user, incident=incident, kind=data["kind"],
                                            person=data["person"], ban=ban, review=review)

    return form_page(request, incident=incident, form=form, save=save, success="Draft letter created.",
                      heading="Draft a letter", submit_label="Create the draft",
                      done_url=lambda letter: reverse("sanctions:letter_detail", args=[letter.pk]))


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
        "can_edit": is_draft and is_leader,
        "can_issue": is_draft and has_role(request.user, school, HEAD),
        "issue_form": LetterIssueForm(),
        "can_correct": letter.status == LetterStatus.ISSUED and is_leader and correction is None,
        "correction": correction,
    })


def letter_edit(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, CASE_LEADERS, "edit letters")
    if letter.status != LetterStatus.DRAFT:
        messages.error(request, "This letter has been issued and can never change. Write a correction instead.")
        return redirect("sanctions:letter_detail", letter.pk)
    form = LetterEditForm(request.POST or None, initial={
        "facts": letter.facts, "specific_paragraphs": letter.specific_paragraphs, "version": letter.version})

    def save(data):
        return letter_services.letter_update(actor=request.user, letter=letter, facts=data["facts"],
                                             specific_paragraphs=data["specific_paragraphs"],
                                             expected_version=data["version"])

    return form_page(request, incident=letter.incident, form=form, save=save, success="Draft saved.",
                      heading=f"Edit the draft: {letter.get_kind_display()}", submit_label="Save the draft",
                      done_url=reverse("sanctions:letter_detail", args=[letter.pk]))


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
        messages.success(request, "The letter is issued. The PDF below is exactly what was sent and can never change.")
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


