"""The whole story of a case in the browser, each step as its user does it.

Office logs an incident with a photo; the deputy takes statements (the pupil's
version too), speaks to the parent and proposes a ban; the head sees it waiting
for the Chair and cannot decide it; the Chair signs off; the head decides, bans,
issues the provisional ban letter and downloads it; representations are recorded
and the ban confirmed; office finds the person on the ban register; another
school's office sees none of it. And a warning-letter case from start to close.
Every page on the way passes axe-core (see flows.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.flows import (
    PNG,
    chair_signs_off,
    deputy_gathers_and_proposes,
    expect_message,
    head_bans_and_issues_provisional_letter,
    head_cannot_decide_before_chair,
    head_decides,
    head_records_representations_and_confirms,
    logout,
    next_step,
    office_finds_person_on_register,
    office_logs_incident,
    other_school_sees_nothing,
    primary_action,
    rewrite_for_the_parent,
    stage_badge,
)
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "gate-photo.png"
    path.write_bytes(PNG)
    return path


def test_ban_case_from_report_to_confirmed_ban(page, photo):
    reference = office_logs_incident(page, photo)
    deputy_gathers_and_proposes(page, reference, ban=True)
    head_cannot_decide_before_chair(page, reference)
    chair_signs_off(page, reference)
    head_decides(page, reference, ban=True)
    case_url = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).get_attribute(
        "href")
    head_bans_and_issues_provisional_letter(page)
    head_records_representations_and_confirms(page)
    logout(page)
    office_finds_person_on_register(page)
    other_school_sees_nothing(page, reference, case_url)


def test_warning_letter_case_from_start_to_close(page):
    parent = "Wendy Warnock"
    reference = office_logs_incident(page, parent=parent, breaches=("Loud or offensive language or temper",),
                                     what="Swore loudly at the office window about the dinner money.")
    deputy_gathers_and_proposes(page, reference, ban=False)
    head_decides(page, reference)
    expect(primary_action(page)).to_have_text("Draft the warning letter")
    primary_action(page).click()
    assert_accessible(page)
    expect(page.get_by_label("Warning letter")).to_be_checked()
    expect(page.get_by_role("combobox", name=re.compile(r"^To\b")).locator("option:checked")).to_have_text(parent)
    page.get_by_role("button", name="Create the draft").click()
    expect_message(page, "Draft letter created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning letter")
    assert_accessible(page)
    page.get_by_role("link", name="Preview (page)").click()
    expect(page.locator("body")).to_contain_text(parent)
    assert_accessible(page)
    page.go_back()
    rewrite_for_the_parent(page, "On Tuesday at the office window, you swore loudly at staff about dinner money.")
    page.get_by_label("By post").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue the letter").click()
    expect_message(page, "The letter is issued:")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).click()
    expect(page.get_by_role("region", name="Response")).to_contain_text("Done: Send a warning letter")
    expect(primary_action(page)).to_have_text("Close the case")
    primary_action(page).click()
    assert_accessible(page)
    page.get_by_label("Outcome of the case").fill("Warning letter sent; no further incident.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the case").click()
    expect_message(page, "The case is closed.")
    expect(stage_badge(page)).to_have_text("Closed")
    expect(next_step(page)).to_contain_text("Reopen the case")
    assert_accessible(page)
