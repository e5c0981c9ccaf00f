"""The letter page's "How the letter is sent" (issue 25): with no email address recorded for the person, email is
no choice and post is chosen already; with one, every way is offered and none is chosen for the head."""

import re

from django.urls import reverse

from incidents.models import Person
from sanctions.letters import services as letter_services
from sanctions.models import LetterKind, LetterStatus


def _draft(letters_case, personas):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)


def _choices(page):
    tags = re.findall(r'<input[^>]*name="sent_by"[^>]*>', page)
    return {re.search(r'value="(\w+)"', tag)[1]: "checked" if " checked" in tag else "" for tag in tags}


def test_no_email_address_means_post_is_chosen_and_email_is_not_offered(letters_case, personas, client_as):
    letter = _draft(letters_case, personas)
    Person.objects.filter(pk=letter.person_id).update(email="  ")
    page = client_as("head").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert _choices(page) == {"post": "checked", "hand": ""}
    assert "no email address is recorded for" in page


def test_with_an_email_address_every_way_is_offered_and_none_chosen(letters_case, personas, client_as):
    letter = _draft(letters_case, personas)
    page = client_as("head").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert _choices(page) == {"post": "", "email": "", "hand": ""}


def test_email_posted_for_someone_without_an_address_is_still_refused(letters_case, personas, client_as):
    letter = _draft(letters_case, personas)
    Person.objects.filter(pk=letter.person_id).update(email="")
    response = client_as("head").post(reverse("sanctions:letter_issue", args=[letter.pk]), {"sent_by": "email"},
                                      follow=True)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert "email" in " ".join(str(m) for m in response.context["messages"]).lower()
