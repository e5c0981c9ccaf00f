"""Pages for sending issued letters: email again, mark as posted, record a hand-over, the office's print pack.

Letters are fetched through the selector (404 outside the user's schools); the role
check here only decides whether to show a form (403 otherwise); the services check
everything again.
"""

from datetime import UTC, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conduct.access import record_view
from conduct.audit import audit_log
from conduct.models import School
from conduct.params import query_id, query_int
from conduct.permissions import require_role, school_ids_with_role
from conduct.roles import Role
from sanctions.letters import delivery
from sanctions.letters.delivery_forms import PACK_LIMIT, LetterHandedForm, LetterPostedForm, PackPostedForm
from sanctions.letters.rendering import one_line
from sanctions.letters.selectors import get_letter_for
from sanctions.pages import form_page

# "upto" is a moment as seconds since 1970: from then to the end of 2100.
LATEST_MOMENT = 4_133_980_799


def _back(request, letter):
    """Back to the print pack when the form was sent from it, else to the letter."""
    if request.POST.get("from_list") == "1":
        return redirect(f"{reverse('sanctions:letters_to_post')}?school={letter.incident.school_id}")
    return redirect("sanctions:letter_detail", letter.pk)


# One letter ---------------------------------------------------------------------------------


@require_POST
def letter_send(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, delivery.DELIVERY_ROLES, "send letters")
    try:
        letter = delivery.letter_email_send(actor=request.user, letter=letter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if letter.delivered_at:
            messages.success(request, f"The letter is emailed to {letter.delivered_to}.")
        else:
            messages.error(request, "The email did not go; the letter is still issued and nothing is lost. "
                                    f"The mail server said: {letter.delivery_error}")
    return redirect("sanctions:letter_detail", letter.pk)


def letter_posted(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, delivery.DELIVERY_ROLES, "record that letters were posted")
    if letter.delivered_at is not None:
        messages.info(request, f"This letter has already gone: {delivery.delivery_state(letter)}.")
        return redirect("sanctions:letter_detail", letter.pk)
    form = LetterPostedForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    response = form_page(
        request, incident=letter.incident, form=form, success="The letter is marked as posted.",
        save=lambda data: delivery.letter_post_mark(actor=request.user, letter=letter, posted_on=data["posted_on"]),
        heading=f"Mark as posted: {letter.get_kind_display()} to {letter.person.full_name}",
        submit_label="Mark as posted", done_url=reverse("sanctions:letter_detail", args=[letter.pk]),
        extra={"intro": f"To {one_line(letter.person.address) or 'no postal address recorded'}."},
    )
    return _back(request, letter) if response.status_code == 302 else response


def letter_handed(request, pk):
    letter = get_letter_for(request.user, pk)
    require_role(request.user, letter.incident.school, delivery.DELIVERY_ROLES,
                 "record that letters were handed over")
    if letter.delivered_at is not None:
        messages.info(request, f"This letter has already gone: {delivery.delivery_state(letter)}.")
        return redirect("sanctions:letter_detail", letter.pk)
    form = LetterHandedForm(request.POST or None, user=request.user)
    return form_page(
        request, incident=letter.incident, form=form, success="The hand-over is recorded.",
        save=lambda data: delivery.letter_hand_record(actor=request.user, letter=letter,
                                                      handed_over_by=data["handed_over_by"],
                                                      handed_at=data["handed_at"]),
        heading=f"Handed over: {letter.get_kind_display()} to {letter.person.full_name}",
        submit_label="Record the hand-over", done_url=reverse("sanctions:letter_detail", args=[letter.pk]),
    )


# The print pack ------------------------------------------------------------------------------


def _delivery_schools(user):
    schools = list(School.objects.filter(pk__in=school_ids_with_role(user, delivery.DELIVERY_ROLES)).order_by("name"))
    if not schools:
        names = ", ".join(Role(r).label for r in sorted(delivery.DELIVERY_ROLES))
        raise PermissionDenied(f"Only {names} post the school's letters.")
    return schools


def _chosen_school(request, schools):
    """The school named by ?school= (one of the user's, else 404), or the first."""
    school_id = query_id(request.GET, "school")
    if school_id is None:
        return schools[0]
    for school in schools:
        if school.pk == school_id:
            return school
    raise Http404("No such school among yours.")


def _pack_moment(request):
    """The moment the office's list was shown (?upto=), so the pack holds no letter issued since; else now."""
    seconds = query_int(request.GET, "upto", low=0, high=LATEST_MOMENT)
    return timezone.now() if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)


@require_safe
def letters_to_post(request):
    schools = _delivery_schools(request.user)
    school = _chosen_school(request, schools)
    now = timezone.now()
    waiting = delivery.awaiting_post(school)
    total = waiting.count()
    letters = list(waiting.select_related("incident", "person").defer("pdf", "html")[:PACK_LIMIT]) if total else []
    return render(request, "sanctions/letters/to_post.html", {
        "schools": schools, "school": school, "letters": letters, "total": total,
        "more": max(total - len(letters), 0), "pack_limit": PACK_LIMIT,
        "upto": int(now.timestamp()) + 1,
        "pack_form": PackPostedForm(initial={"school": school.pk, "letters": [letter.pk for letter in letters],
                                             "posted_on": timezone.localdate()}),
        "today": timezone.localdate(),
    })


@require_safe
def letters_to_post_pack(request):
    schools = _delivery_schools(request.user)
    school = _chosen_school(request, schools)
    letters = list(delivery.awaiting_post(school, issued_by=_pack_moment(request)).select_related("incident")
                   [:PACK_LIMIT])
    if not letters:
        messages.info(request, "No letters are waiting for the post.")
        return redirect(f"{reverse('sanctions:letters_to_post')}?school={school.pk}")
    data = delivery.print_pack(letters)
    audit_log(request.user, "letters_print_pack", school, letters=len(letters),
              ids=",".join(str(letter.pk) for letter in letters))
    for letter in letters:
        record_view(request.user, "letter", letter, school.pk)
    response = HttpResponse(data, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="letters-to-post-{school.code}-{stamp}.pdf"'
    return response


@require_POST
def letters_to_post_mark(request):
    schools = _delivery_schools(request.user)
    form = PackPostedForm(request.POST)
    back = reverse("sanctions:letters_to_post")
    if not form.is_valid():
        messages.error(request, "Nothing was marked: give the day the pack was posted.")
        return redirect(back)
    school = next((s for s in schools if s.pk == form.cleaned_data["school"]), None)
    if school is None:
        raise Http404("No such school among yours.")
    try:
        marked = delivery.letter_post_mark_all(actor=request.user, school=school,
                                               letter_ids=form.cleaned_data["letters"],
                                               posted_on=form.cleaned_data["posted_on"])
    except ValidationError as error:
        messages.error(request, "Nothing was marked: " + " ".join(error.messages))
    else:
        messages.success(request, f"{len(marked)} letter{'s' if len(marked) != 1 else ''} marked as posted.")
    return redirect(f"{back}?school={school.pk}")
