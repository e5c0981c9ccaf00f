"""The steps of a case as each user does them in the browser, for the story tests and the screenshots.

Each step clicks links and buttons and fills labelled fields (no URL typing after
the login page) and checks every page it visits with axe-core."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_accessible,
    expect_message,
    follow,
    local_input,
    login,
    logout,
    nav,
    next_step,
    primary_action,
    stage_badge,
)

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000104a3c1d70000000049454e44ae426082"
)
PARENT = "Robert Testparent"
BRITISH_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


def office_logs_incident(page, photo=None, *, parent=PARENT,
                         breaches=("Threatening anyone", "Damaging school property"),
                         what="Shouted at the deputy head and kicked the gate until it broke."):
    login(page, "office")
    nav(page, "Log an incident")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an incident")
    assert_accessible(page)
    page.get_by_label("When it happened").fill(local_input(-timedelta(days=1, hours=2)))
    page.get_by_label("On the school premises").check()
    page.get_by_label("Where exactly").fill("The main gate at pick-up")
    page.get_by_label("What happened").fill(what)
    for breach in breaches:
        page.get_by_label(breach).check()
    page.get_by_label("Who reported it").fill("Mrs Lee, Year 2 teacher")
    # The new-person blocks and the evidence are folded until asked for (issue 25).
    page.locator("summary", has_text="Someone new").click()
    someone_new = page.get_by_role("group", name="Someone new (1)")
    someone_new.get_by_label("Full name").fill(parent)
    someone_new.get_by_label("Relationship").select_option(label="Parent")
    someone_new.get_by_label("Involvement").select_option(label="Subject of the incident")
    someone_new.get_by_label("Address for letters").fill("5 Test Lane\nAshford\nKent TN23 5TT")
    if photo:
        page.locator("summary", has_text="Evidence files").click()
        page.get_by_label("Evidence files").set_input_files(photo)
        page.get_by_label("What the files show").fill("Photo of the broken gate")
    page.get_by_role("button", name="Log the incident").click()
    expect_message(page, "logged")
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Case ").strip()
    expect(stage_badge(page)).to_have_text("Reported")
    if photo:
        expect(page.get_by_role("link", name="gate-photo.png")).to_be_visible()
    expect(page.get_by_role("link", name=parent)).to_be_visible()
    # Office is told what moves the case on; no action of theirs is offered.
    expect(next_step(page)).to_contain_text("A statement from someone involved (recording it starts information "
                                            "gathering).")
    expect(primary_action(page)).to_have_count(0)
    # British dates: "Tuesday 23 November 2026, 14:05" and "24 Nov 2026, 09:15".
    assert re.search(r"\w+day \d{1,2} \w+ \d{4}, \d{2}:\d{2}", page.locator("dl").inner_text())
    assert BRITISH_DATE.search(page.get_by_role("region", name="Timeline").inner_text())
    assert_accessible(page)
    logout(page)
    return reference


def open_from_my_work(page, reference):
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert_accessible(page)
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {reference}")


def deputy_gathers_and_proposes(page, reference, *, ban=True):
    login(page, "deputy")
    # My work says what the new case needs next.
    expect(page.get_by_role("listitem").filter(has_text=reference)).to_contain_text("Next: Record the first statement")
    open_from_my_work(page, reference)
    assert_accessible(page)
    # A member of staff's statement, then the pupil's version of events. The first statement starts
    # information gathering: no "Start gathering information" first (it stays, as a secondary button).
    expect(primary_action(page)).to_have_text("Record a statement")
    expect(page.get_by_role("button", name="Start gathering information")).to_be_visible()
    follow(page, primary_action(page))
    assert_accessible(page)
    page.get_by_label("Member of staff").check()
    page.get_by_label("Name of the person giving it").fill("Mr Khan, site manager")
    page.get_by_label("When it was taken").fill(local_input(-timedelta(hours=20)))
    page.get_by_label("The statement").fill("I saw him kick the gate three times; the latch snapped.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "Statement recorded. The case is now at “Gathering information”.")
    expect(stage_badge(page)).to_have_text("Gathering information")
    page.get_by_role("region", name="Statements").get_by_role("link", name="Record a statement").click()
    page.get_by_label("Pupil's version of events").check()
    page.get_by_label("Name of the person giving it").fill("The pupil (Year 2)")
    page.get_by_label("When it was taken").fill(local_input(-timedelta(hours=19)))
    page.get_by_label("Who else was present").fill("Mrs Patel, teaching assistant")
    page.get_by_label("The statement").fill("Daddy was angry because the gate was locked.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "Statement recorded.")
    statements = page.get_by_role("region", name="Statements")
    expect(statements).to_contain_text("Pupil's version of events: The pupil (Year 2)")
    expect(statements).to_contain_text("also present: Mrs Patel, teaching assistant")

    # The conversation with the parent: recording it moves the case on to the parent conversation.
    expect(primary_action(page)).to_have_text("Record the conversation")
    follow(page, primary_action(page))
    assert_accessible(page)
    # Only the questions that fit the answer are shown.
    expect(page.get_by_label("What the parent said")).to_be_hidden()
    page.get_by_label("No, it was not possible").check()
    expect(page.get_by_label("Why it could not happen")).to_be_visible()
    page.get_by_label("Yes, we spoke to the parent").check()
    expect(page.get_by_label("Why it could not happen")).to_be_hidden()
    page.get_by_label("When", exact=True).fill(local_input(-timedelta(hours=4)))
    page.get_by_label("Who was present").fill("Deputy head and the parent")
    page.get_by_label("What the parent said").fill("He said he was frustrated but accepts he broke the gate.")
    page.get_by_label("What was agreed").fill("Nothing: he refused to pay for the repair.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "The parent conversation is recorded. The case is now at “Parent conversation”.")
    expect(stage_badge(page)).to_have_text("Parent conversation")

    # The proposal: a site ban goes to the Chair first; a warning letter straight to the head.
    expect(primary_action(page)).to_have_text("Propose a response")
    primary_action(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a response")
    assert_accessible(page)
    if ban:
        page.get_by_label("Ban from the school site").check()
        page.get_by_label("Why this response is proportionate").fill("Staff felt threatened and property was damaged.")
        page.get_by_label("Why a ban is justified now").fill("The aggression put staff at immediate risk.")
    else:
        page.get_by_label("Send a warning letter").check()
        page.get_by_label("Why this response is proportionate").fill("A first incident: a warning is proportionate.")
    page.get_by_role("button", name="Propose this response").click()
    expect_message(page, "The response is proposed.")
    expect(stage_badge(page)).to_have_text("Awaiting Chair" if ban else "Response proposed")
    assert_accessible(page)
    logout(page)


def head_cannot_decide_before_chair(page, reference):
    login(page, "head")
    nav(page, "Incidents")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Awaiting Chair")
    row.get_by_role("link", name=reference, exact=True).click()
    expect(stage_badge(page)).to_have_text("Awaiting Chair")
    expect(next_step(page)).to_contain_text("Chair of the Local Academy Board's consultation")
    expect(page.get_by_role("link", name="Decide the response")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("decide", re.I))).to_have_count(0)
    assert_accessible(page)
    # Posting a decision straight to the server is refused too.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        page.url + "decide/",
        form={"csrfmiddlewaretoken": token, "outcome": "approved", "reasons": "Skipping the Chair."},
        max_redirects=0,
    )
    # The decide page sends anyone back to the case while it waits for the Chair.
    assert response.status == 302, response.status
    assert page.url.endswith(response.headers["location"])
    page.reload()
    expect(stage_badge(page)).to_have_text("Awaiting Chair")
    expect(page.get_by_role("region", name="Timeline")).not_to_contain_text("Head decided")
    logout(page)


def chair_signs_off(page, reference):
    login(page, "chair")
    expect(page.get_by_role("region", name="Consultations to sign off")).to_contain_text(reference)
    open_from_my_work(page, reference)
    expect(primary_action(page)).to_have_text("Record the consultation")
    follow(page, primary_action(page))
    assert_accessible(page)
    # Nothing is pre-selected: the Chair says how it took place.
    expect(page.get_by_role("group", name="How it took place").get_by_role("radio", checked=True)).to_have_count(0)
    page.get_by_label("By telephone").check()
    page.get_by_label("Your view").fill("I agree: staff must be protected. A ban is proportionate.")
    page.get_by_label("Yes, I sign off the ban").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Record the consultation").click()
    expect_message(page, "Your consultation is recorded.")
    expect(stage_badge(page)).to_have_text("Response proposed")
    expect(page.get_by_role("region", name="Response")).to_contain_text("Chair's consultation: signed off")
    assert_accessible(page)
    logout(page)


def head_decides(page, reference, *, expected="Head's decision: Approved as proposed", ban=False):
    login(page, "head")
    decide = page.get_by_role("region", name="Proposals waiting for your decision")
    expect(decide.get_by_role("listitem").filter(has_text=reference)).to_contain_text("Next: Decide the response")
    # The head's own decisions lead; the senior leaders' lists are counts, not the cases themselves.
    expect(page.get_by_role("heading", level=2).first).to_have_text(re.compile("^Proposals waiting for your decision"))
    expect(page.get_by_role("region", name="Cases to gather information on or to speak to the parent about")
           ).to_have_count(0)
    open_from_my_work(page, reference)
    expect(primary_action(page)).to_have_text("Decide the response")
    follow(page, primary_action(page))
    assert_accessible(page)
    expect(page.get_by_role("group", name="The response, if you change it")).to_be_hidden()
    page.get_by_label("Approved with changes").check()
    expect(page.get_by_role("group", name="The response, if you change it")).to_be_visible()
    page.get_by_label("Approved as proposed").check()
    # Approving as proposed adopts the proposal's reasons: the head need not write any.
    expect(page.get_by_label("Reasons")).to_have_value("")
    # Deciding asks for confirmation; dismissing it leaves the case as it was.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide the response")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Record my decision").click()
    expect_message(page, "Your decision is recorded.")
    if ban:
        # A decision to ban goes straight on to recording the ban; the case behind it is decided.
        expect(page.get_by_role("heading", level=1)).to_have_text("Ban from the school site")
        expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(reference)
        return
    expect(stage_badge(page)).to_have_text("Decided")
    expect(page.get_by_role("region", name="Response")).to_contain_text(expected)
    expect(page.get_by_role("region", name="Response")).to_contain_text(
        "Approved as proposed, for the reasons the proposal gives.")
    assert_accessible(page)


def other_school_sees_nothing(page, reference, case_url):
    login(page, "office2")
    assert reference not in page.locator("main").inner_text()
    nav(page, "Incidents")
    assert reference not in page.locator("main").inner_text()
    assert PARENT not in page.locator("main").inner_text()
    nav(page, "People")
    page.get_by_label("Search by name").fill("Testparent")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Nobody found.")
    # The one typed URL: the case's own address answers "not found", as if it did not exist.
    response = page.goto(case_url)
    assert response.status == 404
    assert reference not in page.content()


def head_bans_and_issues_provisional_letter(page):
    """On the ban form the decision opened: the ban itself, then its letter, issued and downloaded."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Ban from the school site")
    assert_accessible(page)
    expect(page.get_by_label("Provisional ban (in force now)")).to_be_checked()
    page.get_by_label("Arrangements for the pupil's drop-off and collection").fill(
        "A grandparent brings and collects the pupil at the main gate.")
    page.get_by_label("Reasons for the ban").fill("You shouted at the deputy head and damaged the school gate.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Record the ban").click()
    expect_message(page, "The ban is recorded")
    # Recording the ban drafts its letter, and the head is taken straight to it to check and issue.
    expect(page.get_by_role("heading", level=1)).to_have_text("Provisional ban")
    assert_accessible(page)
    rewrite_for_the_parent(page, "On Monday at the gate, you shouted at the deputy head and kicked the gate.")
    page.get_by_label("By post").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Issue the letter").click()
    expect_message(page, "The letter is issued:")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the letter as sent (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert PARENT in text


def rewrite_for_the_parent(page, text):
    """The draft still tells what happened in the office's words: the head rewrites it for the parent."""
    expect(page.get_by_role("status").filter(has_text="Written for staff")).to_be_visible()
    rewrite = page.get_by_role("region", name="Rewrite what happened for the parent")
    assert_accessible(page)
    rewrite.get_by_label("What happened, as letters tell it").fill(text)
    rewrite.get_by_role("button", name="Save for the parent").click()
    expect_message(page, "Draft saved.")
    expect(page.locator("main")).to_contain_text("written for the parent")


def head_records_representations_and_confirms(page):
    # The issued notice's "What comes next" leads there.
    follow(page, page.locator("main").get_by_role("link", name="Record representations"))
    assert_accessible(page)
    page.get_by_label("Date received").fill(local_input(timedelta(0))[:10])
    page.get_by_label("What the parent said").fill("He apologises and asks to be allowed to collect his son.")
    page.get_by_role("button", name="Record the representations").click()
    expect_message(page, "The representations are recorded.")
    expect(page.get_by_role("region", name="Representations")).to_contain_text("He apologises")
    follow(page, page.get_by_role("link", name="Confirm the ban"))
    assert_accessible(page)
    page.get_by_label("Reasons").fill("The representations do not change the risk to staff.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Confirm the ban").click()
    expect_message(page, "The ban is confirmed")
    # The confirmation letter is drafted, and opened for the head to check and issue.
    expect(page.get_by_role("button", name="Issue the letter")).to_be_visible()
    assert_accessible(page)


def office_finds_person_on_register(page):
    login(page, "office")
    nav(page, "Ban register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ban register")
    register = page.get_by_role("region", name="All Saints Primary School")
    expect(register.get_by_role("rowheader", name=PARENT)).to_be_visible()
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Printable register (A4)"))
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("rowheader", name=PARENT).first).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.emulate_media(media="screen")
    logout(page)


