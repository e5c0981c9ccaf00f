"""Every free text a letter prints is the letter's own copy: labelled on its form, shown in the draft,
editable until issued, and never written back over the ban's record."""

import pytest
from django.urls import reverse

from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services
from sanctions.models import LetterKind, ReviewOutcome

PARENT_READS = "The parent will read this in the letter."


@pytest.fixture
def ban(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    return ban


def test_confirming_keeps_the_bans_own_reasons(ban, personas, deadline_passed, client_as):
    deadline_passed(ban)
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Having read nothing from you, I confirm it.")
    ban.refresh_from_db()
    assert ban.reasons == "Staff felt threatened."
    assert ban.confirmation_reasons == "Having read nothing from you, I confirm it."
    page = client_as("head").get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
    assert "Reasons for the ban" in page and "Staff felt threatened." in page
    assert "Reasons for confirming it" in page and "Having read nothing from you" in page
    confirmation = ban.letters.get(kind=LetterKind.BAN_CONFIRMATION)
    assert confirmation.reasons == "Having read nothing from you, I confirm it."


def test_the_draft_changes_the_letters_words_not_the_ban(ban, personas, deadline_passed, client_as):
    deadline_passed(ban)
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Staff remain at risk.")
    draft = ban.letters.get(kind=LetterKind.BAN_CONFIRMATION)
    head = client_as("head")
    form = head.get(reverse("sanctions:letter_edit", args=[draft.pk])).content.decode()
    assert form.count(PARENT_READS) == 4  # what happened, reasons, drop-off and collection, own paragraphs
    response = head.post(reverse("sanctions:letter_edit", args=[draft.pk]), {
        "facts": "You shouted at staff at the gate.", "reasons": "I have weighed what you told me.",
        "pupil_arrangements": "Your sister may bring Sam to the office door.", "specific_paragraphs": "",
        "version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    ban.refresh_from_db()
    assert draft.reasons == "I have weighed what you told me."
    assert ban.confirmation_reasons == "Staff remain at risk."
    assert ban.pupil_arrangements.startswith("Sam is brought")
    page = head.get(reverse("sanctions:letter_detail", args=[draft.pk])).content.decode()
    assert "I have weighed what you told me." in page and "Your sister may bring Sam" in page
    preview = head.get(reverse("sanctions:letter_preview", args=[draft.pk])).content.decode()
    assert "My reasons" in preview and "I have weighed what you told me." in preview
    assert "Your sister may bring Sam to the office door." in preview and "Staff remain at risk." not in preview


def test_a_ban_letter_needs_its_drop_off_arrangements(ban_case, make_ban, client_as):
    draft = make_ban(ban_case).letters.get()
    response = client_as("head").post(reverse("sanctions:letter_edit", args=[draft.pk]), {
        "facts": "You shouted.", "reasons": "", "pupil_arrangements": "  ", "specific_paragraphs": "",
        "version": draft.version})
    assert response.status_code == 200 and "drop-off and collection" in response.content.decode()


def test_a_warning_offers_only_the_words_it_prints(letters_case, personas, client_as):
    warning = letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)
    form = client_as("senior").get(reverse("sanctions:letter_edit", args=[warning.pk])).content.decode()
    assert 'name="facts"' in form and 'name="specific_paragraphs"' in form
    assert 'name="reasons"' not in form and 'name="pupil_arrangements"' not in form


def test_the_review_letter_prints_its_own_copy_of_the_reasons(confirmed_ban, personas, client_as, today):
    review = ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.CONTINUE,
                                     reasons="Nothing has changed since the ban.", next_review_on=today)
    draft = confirmed_ban.letters.get(kind=LetterKind.BAN_REVIEW)
    assert draft.reasons == review.reasons
    letter_services.letter_update(actor=personas["head"], letter=draft, facts=draft.facts, specific_paragraphs="",
                                  reasons="I have looked again; the ban continues.",
                                  expected_version=draft.version)
    review.refresh_from_db()
    assert review.reasons == "Nothing has changed since the ban."
    preview = client_as("head").get(reverse("sanctions:letter_preview", args=[draft.pk])).content.decode()
    assert "I have looked again; the ban continues." in preview


def test_the_ban_form_says_what_the_parent_reads(ban_case, client_as):
    """The drop-off arrangements and the reasons are printed in the ban's letter."""
    page = client_as("head").get(reverse("sanctions:ban_new", args=[ban_case.pk])).content.decode()
    assert page.count(PARENT_READS) == 2


def test_confirm_and_withdraw_forms_say_what_the_parent_reads(ban, client_as, deadline_passed):
    head = client_as("head")
    deadline_passed(ban)
    for name in ("ban_confirm", "ban_withdraw"):
        assert PARENT_READS in head.get(reverse(f"sanctions:{name}", args=[ban.pk])).content.decode(), name


def test_the_review_form_says_what_the_parent_reads(confirmed_ban, client_as):
    page = client_as("head").get(reverse("sanctions:ban_review_new", args=[confirmed_ban.pk])).content.decode()
    assert PARENT_READS in page
