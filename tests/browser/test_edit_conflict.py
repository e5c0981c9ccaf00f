"""Two browser sessions edit the same draft letter of a case: the second is
told someone else saved first, and what they typed is still on the page."""

import re

import pytest
from django.contrib.auth import get_user_model

from incidents.models import Incident
from sanctions.letters import services as letter_services
from sanctions.models import Letter, LetterKind
from tests.browser.helpers import assert_accessible, login, open_case

PERSON = "Lisa Stone"  # the demo case decided with a warning letter


def _open_draft(page, username):
    login(page, username)
    open_case(page, PERSON)
    page.get_by_role("link", name=re.compile("Warning letter")).first.click()
    page.get_by_role("link", name="Edit the draft").click()


@pytest.mark.browser
def test_the_second_save_is_refused_and_keeps_what_was_typed(page, browser, browser_context_args):
    incident = Incident.objects.get(person_links__person__full_name=PERSON)
    head = get_user_model().objects.get(username="head")
    letter = letter_services.letter_draft(actor=head, incident=incident, kind=LetterKind.WARNING)
    other_context = browser.new_context(**browser_context_args)
    other = other_context.new_page()
    try:
        _open_draft(page, "head")
        _open_draft(other, "deputy")

        page.get_by_label("Paragraphs of your own").fill("The head's paragraph.")
        page.get_by_role("button", name="Save the draft").click()
        page.wait_for_url(re.compile(r"/letters/\d+/$"))

        other.get_by_label("Paragraphs of your own").fill("The deputy's careful paragraph.")
        other.get_by_role("button", name="Save the draft").click()
        other.get_by_role("alert").filter(has_text="Someone else changed this draft").wait_for()
        assert other.get_by_label("Paragraphs of your own").input_value() == "The deputy's careful paragraph."
        assert_accessible(other)
    finally:
        other_context.close()
    letter.refresh_from_db()
    assert letter.specific_paragraphs == "The head's paragraph."
    assert Letter.objects.filter(incident=incident).count() == 1
