"""Forms: errors are announced, linked to their fields and keep what was typed;
a key step can be done with the keyboard alone; the case page prints cleanly."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    PASSWORD,
    assert_accessible,
    local_input,
    login,
    nav,
    open_case,
    primary_action,
    stage_badge,
    tab_to,
)

pytestmark = pytest.mark.browser


def test_a_form_with_errors_keeps_what_was_typed(page, tmp_path):
    login(page, "office")
    nav(page, "Log an incident")
    page.get_by_label("When it happened").fill(local_input(-timedelta(hours=3)))
    page.get_by_label("Off site").check()
    page.get_by_label("Where exactly").fill("The bus stop outside school")
    # "What happened" is left empty.
    page.get_by_label("Dogs on the premises").check()
    page.get_by_label("Who reported it").fill("A lollipop lady")
    subjects = page.get_by_role("group", name="People the incident is about (already known)")
    subjects.get_by_label("Find a known person").fill("Mark Brown")
    # The matches come from the server as you type: on a loaded CI machine that can take a while.
    expect(subjects.get_by_role("button", name="Choose Mark Brown")).to_be_visible(timeout=20000)
    subjects.get_by_role("button", name="Choose Mark Brown").click()
    # "Someone new" and the evidence are folded until asked for (issue 25).
    page.locator("summary", has_text="Someone new").click()
    someone_new = page.get_by_role("group", name="Someone new (2)")
    someone_new.get_by_label("Email").fill("witness@example.com")  # an email but no name: an error too
    photo = tmp_path / "dog.png"
    photo.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                                    "0000000d49444154789c6360000002000005000104a3c1d70000000049454e44ae426082"))
    page.locator("summary", has_text="Evidence files").click()
    page.get_by_label("Evidence files").set_input_files(photo)
    page.get_by_role("button", name="Log the incident").click()

    # Announced: a role=alert summary, focused, with a link to each field in error.
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="What happened: This field is required.")).to_be_visible()
    expect(summary).to_contain_text("Give the person's name, or clear the other details.")
    assert_accessible(page)
    summary.get_by_role("link", name="What happened: This field is required.").click()
    expect(page.get_by_label("What happened")).to_be_focused()
    expect(page.get_by_label("What happened")).to_have_attribute("aria-invalid", "true")

    # Everything typed is still there, the file chosen too: kept on the server, named, with a box to remove it.
    expect(page.get_by_label("Off site")).to_be_checked()
    expect(page.get_by_label("Where exactly")).to_have_value("The bus stop outside school")
    expect(page.get_by_label("Dogs on the premises")).to_be_checked()
    expect(page.get_by_label("Who reported it")).to_have_value("A lollipop lady")
    expect(page.get_by_role("group", name="People the incident is about (already known)")
           .get_by_role("checkbox", name="Mark Brown")).to_be_checked()
    expect(page.get_by_role("group", name="Someone new (2)").get_by_label("Email")).to_have_value("witness@example.com")
    expect(page.get_by_role("checkbox", name="Remove dog.png")).not_to_be_checked()
    expect(page.locator("summary", has_text="Evidence files")).to_contain_text("1 kept")

    # Correcting the two problems is enough.
    page.get_by_label("What happened").fill("Let a dog off its lead among the pupils.")
    page.get_by_role("group", name="Someone new (2)").get_by_label("Email").fill("")
    page.get_by_role("button", name="Log the incident").click()
    expect(page.locator(".messages")).to_contain_text("logged")
    expect(page.locator("main")).to_contain_text("Let a dog off its lead among the pupils.")
    expect(page.get_by_role("link", name="dog.png")).to_be_visible()


def test_the_chair_signs_off_with_the_keyboard_alone(page):
    page.goto("/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    page.keyboard.type("chair")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    # The skip link comes first and takes the keyboard past the navigation.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, "ASP-")  # the first case in "Consultations to sign off"
    page.keyboard.press("Enter")
    expect(stage_badge(page)).to_have_text("Awaiting Chair")

    tab_to(page, "Record the consultation")
    expect(primary_action(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chair's consultation")

    tab_to(page, "In person")  # the first of the radios: none is chosen for the Chair
    expect(page.get_by_label("In person")).not_to_be_checked()
    page.keyboard.press("ArrowDown")  # "In person" -> "By telephone", chosen
    expect(page.get_by_label("By telephone")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your view")).to_be_focused()
    page.keyboard.type("Staff were threatened and pushed: I support the ban.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Yes, I sign off the ban")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes, I sign off the ban")).to_be_checked()
    tab_to(page, "Record the consultation")
    page.once("dialog", lambda dialog: dialog.accept())  # the browser's own "are you sure?"
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your consultation is recorded.")
    expect(stage_badge(page)).to_have_text("Response proposed")


def test_the_case_page_prints_without_navigation_or_buttons(page):
    login(page, "head")
    open_case(page, "Lisa Stone")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("main .btn:visible")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Timeline")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
