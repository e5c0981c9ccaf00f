"""`make screenshots`: a PNG of every main page for each role at 375 px and 1280 px, in screenshots/.

Skipped unless CONDUCT_SCREENSHOTS is set, so `make test` stays fast. The pages
are reached as their users reach them, by clicking; one more test walks a ban
through the Chair, the head's decision and the letter to photograph those pages.
Then the demo's tour: each case the README names, the bans the head must act on,
the parent known at both schools, and every kind of letter as its PDF's pages.
"""

import os
import re
import subprocess  # nosec B404: pdftoppm turns the downloaded letters into PNG pages
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conduct.generated import demo
from sanctions.models import Letter, LetterKind, LetterStatus
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
    # Recording the ban opens its drafted letter.
    expect(page.get_by_role("heading", level=1)).to_have_text("Provisional ban")
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


def _find_case(page, person):
    """The newest case about `person`, found with the incident list's search, as staff would."""
    nav(page, "Incidents")
    page.get_by_role("textbox", name="Search", exact=True).fill(person)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("row").filter(has_text=person).first.get_by_role("link").first.click()
    page.wait_for_load_state()


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@pytest.mark.parametrize("code,username", [("asp", "head"), ("smp", "head2")])
def test_the_tour_cases(page, code, username):
    """Each case the README's demo tour names, as its school's head sees it."""
    login(page, username)
    for number, (reference, school, person, _text) in enumerate(demo.tour(), start=1):
        if school != code:
            continue
        _find_case(page, person)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {reference}")
        _shoot(page, f"tour-{code}-{number:02d}-{_slug(person)}")


def test_the_ban_pages_the_head_is_asked_to_act_on(page):
    login(page, "head")
    for number, section in enumerate(["Bans whose deadline for representations has passed",
                                      "Ban reviews due within seven days"], start=1):
        nav(page, "My work")
        page.get_by_role("region", name=section).get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ban")
        _shoot(page, f"head-3{number}-ban-{_slug(section)[:30]}")
    _find_case(page, "Kelly Marsh")
    page.get_by_role("region", name="Letters and bans").get_by_role("link", name="Kelly Marsh").click()
    _shoot(page, "head-33-ban-with-representations")


@pytest.mark.parametrize("username", ["head", "office2", "trust"])
def test_the_person_at_both_schools(page, username):
    login(page, username)
    nav(page, "People")
    page.get_by_label("Search by name").fill("Jason Reid")
    page.get_by_role("button", name="Search").click()
    page.locator("main table").get_by_role("link", name="Jason Reid").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jason Reid")
    _shoot(page, f"{username}-40-person-at-both-schools")


def test_every_kind_of_letter_as_sent(page, tmp_path):
    """Each kind of letter All Saints issued: its page, and the PDF as PNG pages (pdftoppm, 60 dpi)."""
    login(page, "head")
    for kind in LetterKind:
        letter = Letter.objects.filter(incident__school__code="asp", kind=kind, status=LetterStatus.ISSUED).first()
        page.goto(f"/letters/{letter.pk}/")  # the letter's own page, as its case's Letters panel links to it
        _shoot(page, f"letter-{kind.value}-page")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the letter as sent (PDF)").click()
        pdf = tmp_path / f"{kind.value}.pdf"
        download.value.save_as(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / f"letter-{kind.value}")],  # nosec B603 B607
                       check=True)
