"""Staff time (issue 25.1): what the real pages cost the people who use them, counted in a browser.

    .venv/bin/python bench/staff_time.py [--check] [--no-write] [--keep] [--project DIR]    (`make bench-staff`)

Headless Chromium (Debian's, through Playwright) drives a live server (`manage.py runserver`) on a fresh
demo database (a temporary SQLite file, migrated and `seed_demo`ed) through two stories:

A. The ban story. Office logs a new incident about someone new, with a photo; the deputy (senior
   leader) takes a member of staff's statement and the pupil's version, records the parent
   conversation and proposes a site ban; the Chair records the consultation and signs it off; the head
   decides, records the ban, issues its letter, records the parent's representations, confirms the ban,
   issues the confirmation letter and checks the ban register.
B. The quick log. Office, already on My work, logs a simple incident about a known person.

Every step is reached by clicking from My work or the case page: the login page is the only URL typed
(any other counts against the "no typed URL" target). Every action goes through `Meter`, which counts
per role: sessions, pages loaded, fields filled, characters typed, clicks, uploads and the words that
must be read where the model needs them, and turns them into seconds with the keystroke-level model
below. The counts depend only on the pages and the story, never on timing: the same UI gives the same
figures. `tests/browser/test_staff_time.py` runs the same stories and holds the counts to a ceiling.

`--check` exits 1 when a target is missed (ban story over 15 minutes, quick log over 60 s, a typed URL).
Without `--no-write` the figures replace the "staff-time" section of bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess  # nosec B404: runs this project's own manage.py
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "conduct-demo"

# ---- The keystroke-level model -------------------------------------------------------------------------
SECONDS_PER_CLICK = 1.2  # point and click: a link, a button, a box, a field to type into, OK on a confirmation
SECONDS_PER_CHARACTER = 0.3  # typing, for an average office typist
SECONDS_PER_PAGE = 3.0  # a page loads and the eye finds where to go on it
SECONDS_PER_WORD = 0.24  # reading what the step needs read (about 250 words a minute)
SECONDS_PER_LOGIN = 17.0  # one role's session: the login page, username, password, two-factor where asked
# Decisions: thinking time no click or keystroke shows, each named where the story takes it.
DECIDE_BREACHES = 10.0  # office: which breaches of the code the incident was
DECIDE_PICK_PERSON = 5.0  # office: which of the matches is the right person
PICK_FILE = 8.0  # finding the photo in the file chooser (per upload)
DECIDE_RESPONSE = 60.0  # deputy: which response is proportionate, and why
DECIDE_CHAIR = 60.0  # Chair: whether to sign off the ban
DECIDE_HEAD = 60.0  # head: whether to approve the response
CHECK_LETTER = 10.0  # head: the letter is right to send (beyond reading the school's own words in it)
DECIDE_CONFIRM = 30.0  # head: whether the representations change the decision to ban
# ---- Targets ----------------------------------------------------------------------------------------------
TARGET_BAN_STORY_SECONDS = 15 * 60
TARGET_QUICK_LOG_SECONDS = 60

ROLES = {"office": "office", "deputy": "senior leader", "chair": "Chair", "head": "head"}
PARENT = "Robert Staffbench"
# What happened, rewritten by the head for the parent (the office's words are for staff), once for both letters.
ACCOUNT_FOR_PARENT = "On Monday at the gate, you shouted at the deputy head and kicked the gate."
KNOWN_PERSON = "Mark Brown"  # a demo parent at All Saints
# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000104a3c1d70000000049454e44ae426082"
)
# A field is required when marked so: the attribute, or crispy's asterisk on its label (the forms are novalidate).
REQUIRED = """el => el.required || el.getAttribute("aria-required") === "true"
    || Array.from(el.labels || []).some(label => label.classList.contains("requiredField")
                                               || label.querySelector(".asteriskField"))"""
WORD = re.compile(r"[\w'’-]+")


def words(text: str) -> int:
    return len(WORD.findall(text))


def local_input(delta: timedelta) -> str:
    """A datetime-local value (Europe/London), `delta` from now."""
    return (datetime.now(ZoneInfo("Europe/London")) + delta).strftime("%Y-%m-%dT%H:%M")


# ---- Counting --------------------------------------------------------------------------------------------
@dataclass
class Tally:
    sessions: int = 0
    pages: int = 0
    fields: int = 0
    characters: int = 0
    clicks: int = 0
    uploads: int = 0
    words: int = 0
    typed_urls: int = 0
    decisions: list[tuple[str, float]] = field(default_factory=list)

    @property
    def decision_seconds(self) -> float:
        return sum(seconds for _, seconds in self.decisions)

    @property
    def seconds(self) -> float:
        return (self.sessions * SECONDS_PER_LOGIN + self.pages * SECONDS_PER_PAGE + self.clicks * SECONDS_PER_CLICK
                + self.characters * SECONDS_PER_CHARACTER + self.words * SECONDS_PER_WORD + self.decision_seconds)

    def add(self, other: Tally) -> None:
        for name in ("sessions", "pages", "fields", "characters", "clicks", "uploads", "words", "typed_urls"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.decisions += other.decisions


@dataclass
class Step:
    role: str
    name: str
    seconds: float = 0.0


class Meter:
    """Every action of a story, counted for the role signed in. A page is counted where an action loads one
    (a link followed, a form sent, a URL typed; it waits for the load) and at each login (My work, where a
    session starts; the login page itself is inside SECONDS_PER_LOGIN)."""

    def __init__(self, page, story: str):
        self.page = page
        self.story = story
        self.tallies: dict[str, Tally] = {}
        self.steps: list[Step] = []
        self.role: str | None = None
        self.notes: list[str] = []

    # -- bookkeeping
    @property
    def tally(self) -> Tally:
        return self.tallies.setdefault(self.role, Tally())

    def total(self) -> Tally:
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        return total

    @contextmanager
    def step(self, name: str):
        before = self.tally.seconds
        self.page.wait_for_load_state()
        try:
            yield
        finally:
            self.page.wait_for_load_state()
            self.steps.append(Step(self.role, name, self.tally.seconds - before))

    # -- sessions
    def login(self, role: str, *, counted: bool = True) -> None:
        """Sign in through the form (the one URL typed). `counted=False`: the story starts signed in."""
        page = self.page
        self.role = role
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(role)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/$"))
        page.wait_for_load_state()
        if counted:
            self.tally.sessions += 1
            self.tally.pages += 1  # My work, where every session starts

    def logout(self) -> None:
        page = self.page
        toggle = page.get_by_role("button", name="Show menu")
        if toggle.is_visible():
            toggle.click()
        with page.expect_navigation():
            page.get_by_role("button", name="Log out").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))
        self.role = None

    # -- actions
    def goto(self, url: str) -> None:
        """A typed URL: a failure of the "no typed URL" target, counted and reported."""
        self.tally.typed_urls += 1
        self.tally.characters += len(url)
        self.tally.pages += 1
        self.notes.append(f"{self.role} typed {url}")
        self.page.goto(url)
        self.page.wait_for_load_state()

    def click(self, locator, *, loads: bool = False) -> None:
        self.tally.clicks += 1
        if loads:
            self.tally.pages += 1
            with self.page.expect_navigation():
                locator.click()
            self.page.wait_for_load_state()
        else:
            locator.click()

    def follow(self, locator) -> None:
        self.click(locator, loads=True)

    def fill(self, locator, text: str) -> None:
        """Click into the field and type."""
        self.tally.clicks += 1
        self.tally.fields += 1
        self.tally.characters += len(text)
        locator.fill(text)

    def fill_if_empty(self, locator, text: str) -> None:
        """A field the page may fill in already (a date defaulting to now): typed only when empty."""
        if not locator.input_value():
            self.fill(locator, text)

    def fill_if_required(self, locator, text: str) -> None:
        """A field only some answers need: typed only when shown and marked required."""
        if locator.count() and locator.is_visible() and locator.evaluate(REQUIRED):
            self.fill(locator, text)

    def check(self, locator) -> None:
        """A box or radio button: clicked only when not already as wanted."""
        if not locator.is_checked():
            self.tally.clicks += 1
            locator.check()

    def select(self, locator, label: str) -> None:
        """A drop-down: open it and choose (two clicks), unless it already shows that choice."""
        current = locator.locator("option:checked")
        if current.count() and current.first.inner_text().strip() == label:
            return
        self.tally.clicks += 2
        self.tally.fields += 1
        locator.select_option(label=label)

    def choose(self, label: str, option: str, scope=None) -> None:
        """One answer of a question shown as radio buttons (a group named `label`) or as a drop-down."""
        scope = scope or self.page
        group = scope.get_by_role("group", name=re.compile(rf"^\s*{re.escape(label)}"))
        if group.count():
            radio = group.first.get_by_label(option, exact=True)
            if not radio.is_checked():
                self.tally.fields += 1
            self.check(radio)
        else:
            self.select(scope.get_by_label(label), option)

    def upload(self, locator, path: Path) -> None:
        self.tally.clicks += 1
        self.tally.uploads += 1
        self.decide("PICK_FILE", PICK_FILE)
        locator.set_input_files(path)

    def read(self, locator, what: str) -> None:
        """The words of `locator` this step must read; nothing when the page does not show it."""
        if locator.count():
            self.tally.words += sum(words(text) for text in locator.all_inner_texts())
        else:
            self.notes.append(f"{self.role}: nothing to read for {what!r}")

    def read_words(self, text: str) -> None:
        """Words this step must read that no one element holds (the labels of the fields a form is filled by)."""
        self.tally.words += words(text)

    def decide(self, name: str, seconds: float) -> None:
        self.tally.decisions.append((name, seconds))

    def confirm_next_dialog(self) -> None:
        """The next confirmation ("Issue this letter?") is accepted: one more click, when it appears."""
        def accept(dialog):
            self.tally.clicks += 1
            dialog.accept()

        self.page.once("dialog", accept)

    def click_if_asked(self, name: str) -> bool:
        """A bookkeeping button ("Start gathering information") the UI may have dropped or made optional:
        clicked (and counted) only when the case page's next step asks for it as its primary action."""
        primary = self.page.get_by_role("region", name="Next step").locator(".btn-primary").filter(
            has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
        if primary.count() and primary.first.is_visible():
            self.follow(primary.first)
            return True
        return False

    def reveal(self, target, opener_text: re.Pattern) -> None:
        """A folded block ("Someone new", evidence): opened with one click when `target` is hidden."""
        if target.count() and target.first.is_visible():
            return
        page = self.page
        opener = page.locator("summary").filter(has_text=opener_text).or_(
            page.get_by_role("button", name=opener_text)).first
        self.click(opener)
        target.first.wait_for(state="visible")


# ---- Finding things on the pages -------------------------------------------------------------------------
def action(page, name):
    """A link or button in the page's main content (the case page's next step shows either)."""
    main = page.locator("main")
    return main.get_by_role("link", name=name, exact=True).or_(main.get_by_role("button", name=name, exact=True)).first


def main_nav(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def open_nav(meter, name):
    toggle = meter.page.get_by_role("button", name="Show menu")
    if toggle.is_visible():
        meter.click(toggle)
    meter.follow(main_nav(meter.page, name))


def log_an_incident(meter):
    """From My work: its own "Log an incident" link when it has one, else the main navigation's."""
    own = meter.page.locator("main").get_by_role("link", name="Log an incident", exact=True)
    if own.count() and own.first.is_visible():
        meter.follow(own.first)
    else:
        open_nav(meter, "Log an incident")


def open_case(meter, reference: str) -> None:
    """From My work, the case's own link; when My work does not list it, the incident list (noted)."""
    page = meter.page
    link = page.locator("main").get_by_role("link", name=reference, exact=True)
    if link.count() and link.first.is_visible():
        meter.follow(link.first)
        return
    meter.notes.append(f"{meter.role}: {reference} was not on My work, so it was opened from the incident list")
    open_nav(meter, "Incidents")
    meter.follow(page.locator("main").get_by_role("link", name=reference, exact=True).first)


def save_then(page, name):
    """A form's "Save, then …" button that goes on to the next record, when the form has it; else "Save"."""
    then = page.get_by_role("button", name=name, exact=True)
    return then if then.count() else page.get_by_role("button", name="Save", exact=True)


def open_next_step(meter, reference: str, step: str) -> bool:
    """From My work, the row's "Next: …" link, where it goes straight to the page that takes the step (and
    shows the case); False when My work has no such link."""
    link = meter.page.locator("main").get_by_role("link", name=f"Next: {step} ({reference})", exact=True)
    if link.count() and link.first.is_visible():
        meter.follow(link.first)
        return True
    return False


# The sections of a page that records a decision on the case and shows the case with it.
DECISION_PAGE_SECTIONS = (re.compile(r"^The proposal"), "The incident", "Statements", "Conversation with the parent")


def region(page, name):
    return page.get_by_role("region", name=name, exact=not isinstance(name, re.Pattern))


def reference_on_page(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().removeprefix("Case ").strip()


def expect_message(page, text):
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text(text)


def scope_of(page, pattern: re.Pattern):
    """A block of the form named by its legend ("Someone new (1)") or by its folded summary."""
    group = page.get_by_role("group", name=pattern)
    if group.count():
        return group.first
    return page.locator("details").filter(has=page.locator("summary", has_text=pattern)).first


def read_case(meter, *, sections=("The incident", "Statements", "Conversation with the parent", "Response")):
    for name in sections:
        meter.read(region(meter.page, name), name)


# ---- Story A: the ban ------------------------------------------------------------------------------------
def ban_story(page, photo: Path) -> tuple[Meter, str]:
    from playwright.sync_api import expect

    meter = Meter(page, "ban")

    # Office: a new incident, someone new, a photo.
    meter.login("office")
    with meter.step("open the form and say what happened"):
        log_an_incident(meter)
        meter.fill_if_empty(page.get_by_label("When it happened"), local_input(-timedelta(days=1, hours=2)))
        meter.check(page.get_by_label("On the school premises"))
        meter.fill(page.get_by_label("Where exactly"), "The main gate at pick-up")
        meter.fill(page.get_by_label("What happened"),
                   "Shouted at the deputy head and kicked the gate until it broke.")
        meter.decide("DECIDE_BREACHES", DECIDE_BREACHES)
        for breach in ("Threatening anyone", "Damaging school property"):
            meter.check(page.get_by_label(breach))
        meter.fill_if_empty(page.get_by_label("Who reported it"), "Mrs Lee, Year 2 teacher")
    with meter.step("add someone new"):
        someone_new = re.compile(r"^Someone new")
        meter.reveal(page.get_by_label("Full name"), someone_new)
        new = scope_of(page, someone_new)
        meter.fill(new.get_by_label("Full name"), PARENT)
        meter.choose("Relationship", "Parent", scope=new)
        meter.choose("Involvement", "Subject of the incident", scope=new)
        meter.fill(new.get_by_label("Address for letters"), "5 Test Lane\nAshford\nKent TN23 5TT")
    with meter.step("attach the photo and log the incident"):
        meter.reveal(page.get_by_label("Evidence files"), re.compile("evidence", re.I))
        meter.upload(page.get_by_label("Evidence files"), photo)
        meter.fill(page.get_by_label("What the files show"), "Photo of the broken gate")
        meter.follow(page.get_by_role("button", name="Log the incident").last)
        expect_message(page, "logged")
    reference = reference_on_page(page)
    meter.logout()

    # Deputy: statements, the conversation, the proposal.
    meter.login("deputy")
    with meter.step("open the case from My work and read it"):
        open_case(meter, reference)
        meter.read(region(page, "The incident"), "The incident")
        meter.click_if_asked("Start gathering information")
    with meter.step("record a member of staff's statement"):
        meter.follow(page.locator("main").get_by_role("link", name="Record a statement").first)
        meter.check(page.get_by_label("Member of staff"))
        meter.fill(page.get_by_label("Name of the person giving it"), "Mr Khan, site manager")
        meter.fill_if_empty(page.get_by_label("When it was taken"), local_input(-timedelta(hours=20)))
        meter.fill(page.get_by_label("The statement"), "I saw him kick the gate three times; the latch snapped.")
        another = page.get_by_role("button", name="Save and record another")
        meter.follow(another if another.count() else page.get_by_role("button", name="Save", exact=True))
        expect_message(page, "Statement recorded.")
    with meter.step("record the pupil's version of events"):
        if not page.get_by_role("heading", level=1, name="Record a statement").count():
            meter.follow(page.locator("main").get_by_role("link", name="Record a statement").first)
        meter.check(page.get_by_label("Pupil's version of events"))
        meter.fill(page.get_by_label("Name of the person giving it"), "The pupil (Year 2)")
        meter.fill_if_empty(page.get_by_label("When it was taken"), local_input(-timedelta(hours=19)))
        meter.fill(page.get_by_label("Who else was present"), "Mrs Patel, teaching assistant")
        meter.fill(page.get_by_label("The statement"), "Daddy was angry because the gate was locked.")
        meter.follow(save_then(page, "Save, then record the conversation"))
        expect_message(page, "Statement recorded.")
    with meter.step("record the parent conversation"):
        if not page.get_by_role("heading", level=1, name="The conversation with the parent").count():
            meter.click_if_asked("Move to the parent conversation")
            meter.follow(page.locator("main").get_by_role("link", name="Record the conversation").first)
        meter.check(page.get_by_label("Yes, we spoke to the parent"))
        meter.fill_if_empty(page.get_by_label("When", exact=True), local_input(-timedelta(hours=4)))
        meter.fill(page.get_by_label("Who was present"), "Deputy head and the parent")
        meter.fill(page.get_by_label("What the parent said"),
                   "He said he was frustrated but accepts he broke the gate.")
        meter.fill(page.get_by_label("What was agreed"), "Nothing: he refused to pay for the repair.")
        meter.follow(save_then(page, "Save, then propose a response"))
        expect_message(page, "The parent conversation is recorded.")
    with meter.step("propose a site ban"):
        if not page.get_by_role("heading", level=1, name="Propose a response").count():
            meter.follow(action(page, "Propose a response"))
        meter.decide("DECIDE_RESPONSE", DECIDE_RESPONSE)
        meter.check(page.get_by_label("Ban from the school site"))
        meter.fill(page.get_by_label("Why this response is proportionate"),
                   "Staff felt threatened and property was damaged.")
        meter.fill(page.get_by_label("Why a ban is justified now"), "The aggression put staff at immediate risk.")
        meter.follow(page.get_by_role("button", name="Propose this response"))
        expect_message(page, "The response is proposed.")
    meter.logout()

    # The Chair: the consultation, signed off.
    meter.login("chair")
    with meter.step("read the case and record the consultation"):
        if open_next_step(meter, reference, "Record your consultation on the proposed ban"):
            read_case(meter, sections=DECISION_PAGE_SECTIONS)
        else:
            open_case(meter, reference)
            read_case(meter)
            meter.follow(action(page, "Record the consultation"))
        meter.fill_if_empty(page.get_by_label("Date of the consultation"), local_input(timedelta(0))[:10])
        meter.choose("How it took place", "By telephone")
        meter.decide("DECIDE_CHAIR", DECIDE_CHAIR)
        meter.fill(page.get_by_label("Your view"), "I agree: staff must be protected. A ban is proportionate.")
        meter.check(page.get_by_label("Yes, I sign off the ban"))
        meter.confirm_next_dialog()
        meter.follow(page.get_by_role("button", name="Record the consultation"))
        expect_message(page, "Your consultation is recorded.")
    meter.logout()

    # The head: the decision, the ban and its letter, representations, confirmation and its letter.
    meter.login("head")
    with meter.step("read the case and decide"):
        if open_next_step(meter, reference, "Decide the response"):
            read_case(meter, sections=DECISION_PAGE_SECTIONS + ("The Chair's consultation",))
        else:
            open_case(meter, reference)
            read_case(meter)
            meter.follow(action(page, "Decide the response"))
        meter.decide("DECIDE_HEAD", DECIDE_HEAD)
        meter.check(page.get_by_label("Approved as proposed"))
        meter.fill_if_required(page.get_by_label(re.compile(r"^\s*Reasons\s*\*?\s*$")),
                               "Proportionate to what happened, and lawful.")
        meter.confirm_next_dialog()
        meter.follow(page.get_by_role("button", name="Record my decision"))
        expect_message(page, "Your decision is recorded.")
    with meter.step("record the ban"):
        if not page.get_by_role("heading", level=1, name="Ban from the school site").count():
            meter.follow(action(page, "Ban from the school site"))
        meter.fill(page.get_by_label("Arrangements for the pupil's drop-off and collection"),
                   "A grandparent brings and collects the pupil at the main gate.")
        account = page.get_by_label("What happened, as the letter tells it")
        if account.count() and account.is_visible():
            meter.fill(account, ACCOUNT_FOR_PARENT)
        meter.fill(page.get_by_label("Reasons for the ban"),
                   "You shouted at the deputy head and damaged the school gate.")
        meter.confirm_next_dialog()
        meter.follow(page.get_by_role("button", name="Record the ban"))
        expect_message(page, "The ban is recorded")
    with meter.step("issue the ban letter"):
        issue_letter(meter, ACCOUNT_FOR_PARENT)
    with meter.step("record the representations"):
        if not action(page, "Record representations").count():
            meter.follow(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Ban"))
        meter.follow(action(page, "Record representations"))
        meter.fill_if_empty(page.get_by_label("Date received"), local_input(timedelta(0))[:10])
        meter.fill(page.get_by_label("What the parent said"),
                   "He apologises and asks to be allowed to collect his son.")
        meter.follow(page.get_by_role("button", name="Record the representations"))
        expect_message(page, "The representations are recorded.")
    with meter.step("confirm the ban"):
        meter.read(region(page, "Representations"), "Representations")
        meter.follow(action(page, "Confirm the ban"))
        meter.decide("DECIDE_CONFIRM", DECIDE_CONFIRM)
        meter.fill(page.get_by_label("Reasons"), "The representations do not change the risk to staff.")
        meter.confirm_next_dialog()
        meter.follow(page.get_by_role("button", name="Confirm the ban"))
        expect_message(page, "The ban is confirmed")
    with meter.step("issue the confirmation letter"):
        issue_letter(meter, ACCOUNT_FOR_PARENT)
    with meter.step("check the ban register"):
        open_nav(meter, "Ban register")
        row = page.locator("main").get_by_role("row").filter(has_text=PARENT)
        expect(row.first).to_be_visible()
        meter.read(row, "the register's row")
    meter.logout()
    return meter, reference


def issue_letter(meter, account: str) -> None:
    """On the draft letter (recording or confirming a ban opens it), or from a page offering "Check and issue the
    letter": rewrite what happened for the parent, on the letter's page, when the draft still has the staff's
    words; read the school's own words in it; send it by post."""
    page = meter.page
    if not page.get_by_role("button", name="Issue the letter").count():
        meter.follow(action(page, "Check and issue the letter"))
    rewrite = page.get_by_role("region", name="Rewrite what happened for the parent")
    if rewrite.count() and rewrite.first.is_visible():
        meter.fill(rewrite.get_by_label("What happened, as letters tell it"), account)
        meter.follow(rewrite.get_by_role("button", name="Save for the parent"))
        expect_message(page, "Draft saved.")
    meter.read(region(page, "The school's own words in this letter"), "the letter's own words")
    meter.decide("CHECK_LETTER", CHECK_LETTER)
    meter.check(page.get_by_label("By post"))
    meter.confirm_next_dialog()
    meter.follow(page.get_by_role("button", name="Issue the letter"))
    expect_message(page, "The letter is issued:")


# ---- Story B: the quick log ------------------------------------------------------------------------------
QUICK_LOG_LABELS = ("Find a known person", "What happened", "When it happened", "Where", "On the school premises",
                    "Loud or offensive language or temper", "Who reported it", "Log the incident")

def quick_log(page) -> tuple[Meter, str]:
    """Office is signed in and on My work already (reception keeps it open): no login is counted."""
    meter = Meter(page, "quick")
    meter.login("office", counted=False)
    with meter.step("open the form and say what happened"):
        log_an_incident(meter)
        # Reading the form: its heading, the headings of its parts (folded ones by their summary), the labels of
        # the fields used and its button. The breach list is scanned, not read: DECIDE_BREACHES is that time.
        meter.read(page.locator("main").locator("h1, legend:visible, summary:visible"), "the form's headings")
        meter.read_words(" ".join(QUICK_LOG_LABELS))
        meter.fill_if_empty(page.get_by_label("When it happened"), local_input(-timedelta(minutes=30)))
        meter.check(page.get_by_label("On the school premises"))
        meter.fill(page.get_by_label("What happened"), "Swore at the office window about dinner money.")
        meter.decide("DECIDE_BREACHES", DECIDE_BREACHES)
        meter.check(page.get_by_label("Loud or offensive language or temper"))
        meter.fill_if_empty(page.get_by_label("Who reported it"), "Office")
    with meter.step("pick the known person"):
        subjects = page.get_by_role("group", name=re.compile(r"^People the incident is about"))
        meter.fill(subjects.get_by_label("Find a known person"), "mark bro")
        meter.decide("DECIDE_PICK_PERSON", DECIDE_PICK_PERSON)
        meter.click(subjects.get_by_role("button", name=f"Choose {KNOWN_PERSON}"))
    with meter.step("log the incident"):
        meter.follow(page.get_by_role("button", name="Log the incident").last)
        expect_message(page, "logged")
    reference = reference_on_page(page)
    meter.logout()
    return meter, reference


# ---- What the stories leave behind -----------------------------------------------------------------------
def records_made(reference: str) -> dict:
    """The records a finished ban story leaves on its case (Django must be set up)."""
    from incidents.models import Incident

    incident = Incident.objects.get(reference=reference)
    bans = list(incident.bans.all())
    return {
        "evidence": incident.evidence.count(),
        "subjects": [p.full_name for p in incident.subjects()],
        "statement_kinds": sorted(incident.statements.values_list("kind", flat=True)),
        "conversations": incident.conversations.count(),
        "proposals": incident.proposals.count(),
        "consultations_signed_off": incident.consultations.filter(signed_off=True).count(),
        "decisions": incident.decisions.count(),
        "ban_statuses": [b.status for b in bans],
        "representations": sum(b.representations.count() for b in bans),
        "letters_issued": sorted(incident.letters.filter(status="issued").values_list("kind", flat=True)),
        # Both letters tell what happened in the head's words for the parent, never the office's.
        "letters_tell": sorted({facts for facts, for_parent in incident.letters.filter(status="issued")
                                .values_list("facts", "facts_for_parent") if for_parent}),
        "stage": incident.stage,
    }


# ---- Reporting -------------------------------------------------------------------------------------------
def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


HEADERS = ["role", "sessions", "pages", "fields", "characters", "clicks", "uploads", "words read",
           "decisions (s)", "typed URLs", "estimate"]


def rows(meter: Meter) -> list[list]:
    def row(name, t):
        return [name, t.sessions, t.pages, t.fields, t.characters, t.clicks, t.uploads, t.words,
                f"{t.decision_seconds:.0f}", t.typed_urls, minutes(t.seconds)]

    out = [row(ROLES.get(role, role), tally) for role, tally in meter.tallies.items()]
    out.append(row("**total**", meter.total()))
    return out


def breakdown(tally: Tally) -> str:
    """Where the estimate's seconds go."""
    parts = [("logins", tally.sessions * SECONDS_PER_LOGIN), ("pages", tally.pages * SECONDS_PER_PAGE),
             ("clicks", tally.clicks * SECONDS_PER_CLICK), ("typing", tally.characters * SECONDS_PER_CHARACTER),
             ("reading", tally.words * SECONDS_PER_WORD), ("decisions", tally.decision_seconds)]
    return ", ".join(f"{name} {seconds:.0f} s" for name, seconds in parts)


def costliest(meter: Meter, n: int = 5) -> list[Step]:
    return sorted(meter.steps, key=lambda s: -s.seconds)[:n]


def verdicts(ban: Meter, quick: Meter) -> list[tuple[str, bool, str]]:
    typed = ban.total().typed_urls + quick.total().typed_urls
    return [
        ("ban story ≤ 15 minutes", ban.total().seconds <= TARGET_BAN_STORY_SECONDS, minutes(ban.total().seconds)),
        ("quick log ≤ 60 s", quick.total().seconds <= TARGET_QUICK_LOG_SECONDS, f"{quick.total().seconds:.1f} s"),
        ("no typed URL but the login page", typed == 0, f"{typed} typed"),
    ]


def plain_table(headers, table) -> str:
    cells = [headers] + [[str(c).replace("**", "") for c in r] for r in table]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    def line(r):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join(line(r) for r in cells)


def report_text(ban: Meter, quick: Meter) -> str:
    out = []
    for title, meter in (("A. The ban story", ban), ("B. The quick log", quick)):
        out += [title, plain_table(HEADERS, rows(meter)), "  where the time goes: " + breakdown(meter.total()),
                "  costliest steps: " + "; ".join(
            f"{ROLES.get(s.role, s.role)}: {s.name} {minutes(s.seconds)}" for s in costliest(meter)), ""]
    for name, ok, value in verdicts(ban, quick):
        out.append(f"{'met   ' if ok else 'MISSED'} {name}: {value}")
    for note in ban.notes + quick.notes:
        out.append(f"note: {note}")
    return "\n".join(out)


def model_text() -> str:
    return (f"{SECONDS_PER_CLICK} s a click (a field clicked into counts as one), {SECONDS_PER_CHARACTER} s a "
            f"character typed, {SECONDS_PER_PAGE:g} s a page loaded, {SECONDS_PER_WORD} s a word that must be read, "
            f"{SECONDS_PER_LOGIN:g} s a login (one per role's session); decisions: "
            f"DECIDE_BREACHES {DECIDE_BREACHES:g} s, DECIDE_PICK_PERSON {DECIDE_PICK_PERSON:g} s, "
            f"PICK_FILE {PICK_FILE:g} s an upload, DECIDE_RESPONSE {DECIDE_RESPONSE:g} s, DECIDE_CHAIR "
            f"{DECIDE_CHAIR:g} s, DECIDE_HEAD {DECIDE_HEAD:g} s, CHECK_LETTER {CHECK_LETTER:g} s a letter, "
            f"DECIDE_CONFIRM {DECIDE_CONFIRM:g} s")


def results_section(ban: Meter, quick: Meter, environment: list[tuple[str, str]]) -> str:
    from results import markdown_table

    lines = ["## Staff time: the ban story and the quick log", "",
             "Written by `make bench-staff` (bench/staff_time.py): headless Chromium clicks through the real "
             "pages on a fresh demo database, counting per role what each step costs, and a keystroke-level "
             "estimate. Counts are exact (the same UI gives the same figures); the seconds are the model's, "
             "not the machine's.", ""]
    lines += [f"- {name}: {value}" for name, value in environment]
    lines += [f"- Model: {model_text()}", ""]
    for title, meter, what in (
            ("### A. The ban story", ban,
             "Office logs an incident about someone new with a photo; the deputy takes a member of staff's "
             "statement and the pupil's version, records the parent conversation and proposes a site ban; the "
             "Chair records the consultation and signs off; the head decides, records the ban, issues its letter, "
             "records representations, confirms the ban, issues the confirmation letter and checks the register."),
            ("### B. The quick log", quick,
             "Office, already signed in on My work, logs a simple incident about a known person (the picker).")):
        lines += [title, "", what, "", markdown_table(HEADERS, rows(meter), "lrrrrrrrrrr"), "",
                  f"Where the time goes: {breakdown(meter.total())}.", ""]
        steps = [[ROLES.get(st.role, st.role), st.name, minutes(st.seconds)] for st in meter.steps]
        lines += [markdown_table(["role", "step (after signing in on My work)", "estimate"], steps, "llr"), ""]
        lines += ["Costliest steps: " + "; ".join(
            f"{ROLES.get(s.role, s.role)}, {s.name} ({minutes(s.seconds)})" for s in costliest(meter)) + ".", ""]
    targets = [[name, value, "yes" if ok else "**no**"] for name, ok, value in verdicts(ban, quick)]
    lines += ["### Targets", "", markdown_table(["target", "measured", "met"], targets), ""]
    notes = ban.notes + quick.notes
    if notes:
        lines += ["Notes: " + "; ".join(notes) + ".", ""]
    return "\n".join(lines)


# ---- The live server -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(workdir: Path, project: Path = ROOT):
    """A fresh SQLite database, migrated and seeded with the demo, served by runserver on a free port."""
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
           "MEDIA_ROOT": str(workdir / "media"), "DJANGO_SETTINGS_MODULE": "conduct.settings",
           "AXES_ENABLED": "false", "CONDUCT_REQUIRE_2FA": "false", "CONDUCT_OIDC_PROVIDERS": "",
           "PYTHONUNBUFFERED": "1"}
    python = sys.executable
    manage = str(project / "manage.py")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run([python, manage, *command], env=env, cwd=project,  # nosec B603
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{done.stdout[-3000:]}")
    port = free_port()
    log = open(workdir / "server.log", "w")
    server = subprocess.Popen([python, manage, "runserver", "--noreload", f"127.0.0.1:{port}"],  # nosec B603
                              env=env, cwd=project, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/accounts/login/", timeout=2)  # nosec B310: our own server
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"runserver stopped: see {workdir / 'server.log'}") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("runserver did not answer within a minute")
        yield url, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def run_stories(base_url: str, workdir: Path) -> tuple[Meter, str, Meter, str]:
    from playwright.sync_api import sync_playwright

    photo = workdir / "gate-photo.png"
    photo.write_bytes(PNG)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London",
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30000)
            try:
                ban, reference = ban_story(page, photo)
                quick, quick_reference = quick_log(page)
            except Exception:
                # A page changed under the story: where it stopped, for re-reading that template.
                shot = workdir / "failed.png"
                page.screenshot(path=shot, full_page=True)
                print(f"stopped on {page.url}; screenshot {shot} (kept with --keep)", file=sys.stderr)
                raise
        finally:
            browser.close()
    return ban, reference, quick, quick_reference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and server log")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="serve another copy of the project (e.g. `git archive` of an earlier commit)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    sys.path.insert(0, str(args.project.resolve()))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    workdir = Path(tempfile.mkdtemp(prefix="conduct-staff-time-"))
    try:
        with demo_server(workdir, args.project.resolve()) as (base_url, env):
            ban, reference, quick, quick_reference = run_stories(base_url, workdir)
            os.environ.update({k: env[k] for k in ("DEBUG", "DATABASE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE")})
            import django

            django.setup()
            import results
            from django.db import connection

            records = records_made(reference)
            environment = results.environment(connection)
            connection.close()
        print(report_text(ban, quick))
        print(f"\nban story case {reference}: {records}\nquick log case {quick_reference}")
        if not args.no_write:
            path = results.write_section("staff-time", results_section(ban, quick, environment))
            print(f"wrote {path.relative_to(ROOT)}")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    missed = [name for name, ok, _ in verdicts(ban, quick) if not ok]
    if args.check and missed:
        print("missed: " + ", ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
