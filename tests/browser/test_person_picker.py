"""The incident form's person picker (issue 21.1): typing finds a known person with JavaScript on; with it off,
Find re-posts the form and the matches come back as boxes to tick. Either way the case names the person picked."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.helpers import assert_accessible, expect_message, local_input, login, nav

pytestmark = pytest.mark.browser

KNOWN = "Mark Brown"  # a demo parent at the office's school


def _fill_the_rest(page, what):
    page.get_by_label("When it happened").fill(local_input(-timedelta(hours=3)))
    page.get_by_label("Off site").check()
    page.get_by_label("What happened").fill(what)
    page.get_by_label("Dogs on the premises").check()
    page.get_by_label("Who reported it").fill("A lollipop lady")


def test_a_known_person_is_picked_by_typing(page):
    login(page, "office")
    nav(page, "Log an incident")
    _fill_the_rest(page, "Brought a greyhound to the nursery door.")
    subjects = page.get_by_role("group", name="People the incident is about (already known)")
    # Nobody is listed until asked.
    expect(subjects.get_by_role("checkbox")).to_have_count(0)
    search = subjects.get_by_label("Find a known person")
    search.fill("mark bro")
    result = subjects.get_by_role("button", name=f"Choose {KNOWN}")
    expect(result).to_be_visible()
    assert_accessible(page)
    # The keyboard reaches the results: down from the search box, Enter picks.
    search.press("ArrowDown")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    expect(subjects.get_by_role("checkbox", name=KNOWN)).to_be_checked()
    expect(search).to_be_focused()
    page.get_by_role("button", name="Log the incident").click()
    expect_message(page, "logged")
    incident = Incident.objects.get(description="Brought a greyhound to the nursery door.")
    assert [p.full_name for p in incident.subjects()] == [KNOWN]


def test_without_javascript_find_lists_the_matches_to_tick(page, browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    page = context.new_page()
    page.set_default_timeout(8000)
    try:
        login(page, "office", check_accessibility=False)
        page.goto("/incidents/new/")
        _fill_the_rest(page, "Let a dog off its lead by the gate.")
        subjects = page.get_by_role("group", name="People the incident is about (already known)")
        subjects.get_by_label("Find a known person").fill("mark bro")
        subjects.get_by_role("button", name="Find").click()
        subjects = page.get_by_role("group", name="People the incident is about (already known)")
        expect(subjects).to_contain_text("found for “mark bro”")
        # What was typed is kept, and no error is shown for asking.
        expect(page.get_by_label("What happened")).to_have_value("Let a dog off its lead by the gate.")
        expect(page.get_by_text("There is a problem")).to_have_count(0)
        subjects.get_by_role("checkbox", name=KNOWN).check()
        page.get_by_role("button", name="Log the incident").click()
        expect(page.locator(".messages")).to_contain_text("logged")
        incident = Incident.objects.get(description="Let a dog off its lead by the gate.")
        assert [p.full_name for p in incident.subjects()] == [KNOWN]
    finally:
        context.close()
