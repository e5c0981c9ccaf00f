"""`make screenshots`: a PNG of every main page for each role at 375 px and 1280 px, in screenshots/.

Skipped unless CONDUCT_SCREENSHOTS is set, so `make test` stays fast. The pages
are reached as their users reach them, by clicking; one more test walks a ban
through the Chair, the head's decision and the letter to photograph those pages.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.flows import chair_signs_off, head_decides
from tests.browser.helpers import ROLES, WIDTHS, login, logout, main_pages, nav, open_case, primary_action

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("CONDUCT_SCREENSHOTS"),
                       reason="set CONDUCT_SCREENSHOTS=1 (make screenshots)"),
]

OUT = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(autouse=True)
def _out_folder():
    OUT.mkdir(exist_ok=True)


def _shoot(page, name):
    page.mouse.move(1, 1)  # no hover underline left where the last click was
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=OUT / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})


def test_login_page(page):
    page.goto("/accounts/login/")
    _shoot(page, "anonymous-01-login")
    page.get_by_role("button", name="Log in").click()
    _shoot(page, "anonymous-02-login-errors")


@pytest.mark.parametrize("username", ROLES)
def test_every_main_page(page, username):
    login(page, username)
    page.set_viewport_size({"width": WIDTHS["narrow"], "height": 700})
    page.get_by_role("button", name="Show menu").click()
    page.locator("#mainnav.collapse.show").wait_for()  # the opening animation has finished
    page.screenshot(path=OUT / f"{username}-00-menu-open-{WIDTHS['narrow']}.png")
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})
    page.reload()  # the menu closed again
    for number, name in enumerate(main_pages(page, username), start=1):
        _shoot(page, f"{username}-{number:02d}-{name}")
    logout(page)


def test_ban_and_letter_pages(page):
    """The seeded case awaiting the Chair, carried to a ban with its letter issued."""
    login(page, "chair")
    open_case(page, "Steven Grey")
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Case ").strip()
    nav(page, "My work")
    logout(page)
    chair_signs_off(page, reference)
    head_decides(page, reference)
    _shoot(page, "head-20-case-ban-decided")
    primary_action(page).click()
    _shoot(page, "head-21-ban-form")
    page.get_by_label("Arrangements for the pupil's drop-off and collection").fill("An aunt collects the pupil.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Record the ban").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Steven Grey")
    _shoot(page, "head-22-ban")
    page.get_by_role("region", name="Letters").get_by_role("link", name="Provisional ban").click()
    _shoot(page, "head-23-letter-draft")
    page.get_by_label("By post").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue the letter").click()
    _shoot(page, "head-24-letter-issued")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).click()
    _shoot(page, "head-25-case-with-ban")
    nav(page, "Ban register")
    _shoot(page, "head-26-ban-register")
    page.get_by_role("link", name="Printable register (A4)").click()
    page.emulate_media(media="print")
    _shoot(page, "head-27-ban-register-printed")
