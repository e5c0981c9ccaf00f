"""/letters/to-post/: the office's letters waiting for the post, the print pack, "mark all as posted";
and the home page's "Letters issued but not yet sent"."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conduct.models import StaffRole
from conduct.roles import Role
from sanctions.letters import delivery
from sanctions.letters import services as letter_services
from sanctions.models import Letter
from tests.sanctions.conftest import pdf_text
from tests.sanctions.delivery_helpers import issue_letter

TO_POST = reverse("sanctions:letters_to_post")
PACK = reverse("sanctions:letters_to_post_pack")
MARK_ALL = reverse("sanctions:letters_to_post_mark")
UNSENT = "Letters issued but not yet sent"
MM = 72 / 25.4
# The UK's DL window envelope: about 90 x 35 mm, 20 mm from the sheet's left edge and 50 mm from its top,
# and a few millimetres of play for the letter inside the envelope.
WINDOW = {"left": 20, "right": 110, "top": 50, "bottom": 88}

# The staff who post letters see the page; the Chair and trust-wide readers do not post.
WHO = {"office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403, "other_office": 200,
       "other_head": 200, "inactive": "login", "anonymous": "login"}


@pytest.fixture
def posted_letter(build, personas):
    return issue_letter(build, personas, sent_by="post")


def _status(client_as, persona, url, method="get", data=None):
    response = getattr(client_as(persona), method)(url, data or {})
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def test_who_may_open_the_list(db, client_as, posted_letter):
    assert {persona: _status(client_as, persona, TO_POST) for persona in WHO} == WHO
    assert client_as("office").post(TO_POST).status_code == 405


def test_the_list_holds_the_schools_post_letters_not_yet_posted_oldest_first(build, personas, client_as, other_school):
    first = issue_letter(build, personas, name="Ann First")
    second = issue_letter(build, personas, name="Bob Second")
    emailed = issue_letter(build, personas, sent_by="email", name="Cath Email")
    by_hand = issue_letter(build, personas, sent_by="hand", name="Dan Hand")
    gone = issue_letter(build, personas, name="Eve Gone")
    delivery.letter_post_mark(actor=personas["office"], letter=gone, posted_on=timezone.localdate())
    elsewhere = issue_letter(build, personas, school=other_school, name="Fay Elsewhere")
    response = client_as("office").get(TO_POST)
    assert [letter.pk for letter in response.context["letters"]] == [first.pk, second.pk]
    page = response.content.decode()
    assert "Ann First" in page and "1 Home Street" in page
    for absent in (emailed, by_hand, gone, elsewhere):
        assert absent.person.full_name not in page
    assert "Download the print pack (PDF, 2 letters)" in page
    assert "Mark all 2 in this pack as posted" in page
    other = client_as("other_office").get(TO_POST)
    assert [letter.pk for letter in other.context["letters"]] == [elsewhere.pk]


def test_a_superseded_letter_leaves_the_list(build, personas, client_as, posted_letter):
    correction = letter_services.letter_correct(actor=personas["senior"], letter=posted_letter)
    letter_services.letter_issue(actor=personas["head"], letter=correction, sent_by="post")
    assert [letter.pk for letter in client_as("office").get(TO_POST).context["letters"]] == [correction.pk]


def test_someone_at_two_schools_chooses_the_school(build, personas, client_as, other_school):
    StaffRole.objects.create(user=personas["office"], role=Role.OFFICE, school=other_school)
    mine, theirs = issue_letter(build, personas), issue_letter(build, personas, school=other_school, name="Fay Two")
    office = client_as("office")
    first = office.get(TO_POST)
    chosen = first.context["school"]
    assert 'name="school"' in first.content.decode()
    assert [s.name for s in first.context["schools"]] == ["School One", "School Two"]
    assert chosen == build.school and [letter.pk for letter in first.context["letters"]] == [mine.pk]
    second = office.get(f"{TO_POST}?school={other_school.pk}")
    assert [letter.pk for letter in second.context["letters"]] == [theirs.pk]


@pytest.mark.parametrize(("query", "status"), [("school=abc", 400), ("school=99999999999999999999", 400),
                                               ("school=0", 400), ("school=123456", 404)])
def test_a_school_that_is_not_yours_or_no_id(client_as, personas, query, status):
    assert client_as("office").get(f"{TO_POST}?{query}").status_code == status


def test_another_schools_list_is_a_404(client_as, other_school, posted_letter):
    assert client_as("office").get(f"{TO_POST}?school={other_school.pk}").status_code == 404
    assert client_as("office").get(f"{PACK}?school={other_school.pk}").status_code == 404


def test_the_pack_is_every_stored_letter_each_on_a_fresh_sheet(build, personas, client_as, caplog):
    first = issue_letter(build, personas, name="Ann First")
    second = issue_letter(build, personas, name="Bob Second")
    with caplog.at_level("INFO", logger="conduct.audit"):
        response = client_as("office").get(PACK)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="letters-to-post-one-')
    pack = PdfReader(io.BytesIO(response.content))
    issued = [PdfReader(io.BytesIO(bytes(letter.pdf))).pages for letter in (first, second)]
    assert [len(pages) for pages in issued] == [1, 1]
    # A one-page letter is followed by a blank page: printed on both sides, the next starts on its own sheet.
    assert len(pack.pages) == 4 and not (pack.pages[1].extract_text() or pack.pages[3].extract_text())
    # The stored bytes as issued, not a new rendering: each page's drawing is the issued letter's own.
    assert [pack.pages[n].get_contents().get_data() for n in (0, 2)] == [
        pages[0].get_contents().get_data() for pages in issued]
    assert "Ann First" in pack.pages[0].extract_text() and "Bob Second" in pack.pages[2].extract_text()
    assert f"letters_print_pack user={personas['office'].pk}" in caplog.text
    assert f"ids={first.pk},{second.pk}" in caplog.text


def test_the_pack_holds_no_letter_issued_after_the_list_was_shown(build, personas, client_as):
    shown = issue_letter(build, personas, name="Ann First")
    page = client_as("office").get(TO_POST)
    later = issue_letter(build, personas, name="Bob Later")
    Letter.objects.filter(pk=later.pk).update(issued_at=timezone.now() + timedelta(minutes=5))
    pack = client_as("office").get(f"{PACK}?school={page.context['school'].pk}&upto={page.context['upto']}")
    text = pdf_text(pack.content)
    assert shown.person.full_name in text and "Bob Later" not in text


@pytest.mark.parametrize("upto", ["abc", "-1", "99999999999999999999", "²"])
def test_a_moment_that_is_no_number_is_a_400(client_as, posted_letter, upto):
    assert client_as("office").get(f"{PACK}?upto={upto}").status_code == 400


def test_who_may_download_the_pack(client_as, posted_letter):
    expected = {**WHO, "other_office": 302, "other_head": 302}  # nothing waits at their school
    assert {persona: _status(client_as, persona, PACK) for persona in WHO} == expected


def test_an_empty_pack_goes_back_to_the_list(client_as, personas):
    response = client_as("office").get(PACK)
    assert response.status_code == 302 and response["Location"].startswith(TO_POST)


def test_the_addressee_shows_in_a_dl_window_and_nothing_else_does(build, personas, client_as):
    letter = issue_letter(build, personas, name="Wendy Window")
    response = client_as("office").get(PACK)
    lines = _lines_on_first_page(response.content)
    inside = [text for text, x, y in lines if _in_window(x, y)]
    assert inside == ["PRIVATE AND CONFIDENTIAL", "Wendy Window", "1 Home Street", "Town"]
    # The address inside, the letterhead above and the salutation below: the subject never shows.
    assert letter.person.addressee in inside
    positions = {}
    for text, x, y in lines:
        positions.setdefault(text, (x, y))
    assert positions["Wendy Window"][1] > WINDOW["top"] + 3 and positions["Town"][1] < WINDOW["bottom"] - 3
    assert positions["School One"][1] < WINDOW["top"]
    # Below the window, the salutation (its capitals clear of it) and then the letter's subject.
    salutation = next(y for text, x, y in lines if text.startswith("Dear "))
    assert salutation > WINDOW["bottom"] + 3


def _lines_on_first_page(data: bytes) -> list[tuple[str, float, float]]:
    """(text, x, y) of each line on page 1, in mm from the sheet's left and top edges (the baseline)."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The text's position on the page: the text matrix, then the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return found


def _in_window(x, y) -> bool:
    # The baseline at least 3 mm below the window's top, so the capitals are inside it too; a line starting
    # 10 mm short of the right edge (the address block is 90 mm wide and wraps inside it).
    return WINDOW["left"] <= x <= WINDOW["right"] - 10 and WINDOW["top"] + 3 <= y <= WINDOW["bottom"]


# Mark all in this pack as posted --------------------------------------------------------------


def test_mark_all_in_the_pack_as_posted(build, personas, client_as):
    first, second = issue_letter(build, personas, name="Ann First"), issue_letter(build, personas, name="Bob Two")
    today = timezone.localdate()
    response = client_as("office").post(MARK_ALL, {"school": build.school.pk, "letters": [first.pk, second.pk],
                                                   "posted_on": today.isoformat()})
    assert response.status_code == 302 and response["Location"] == f"{TO_POST}?school={build.school.pk}"
    for letter in (first, second):
        letter.refresh_from_db()
        assert letter.posted_on == today and letter.delivered_at and letter.delivery_recorded_by == personas["office"]
        assert letter.incident.events.filter(summary__startswith="Letter posted on").exists()
    assert client_as("office").get(TO_POST).context["letters"] == []


def test_mark_all_leaves_what_went_meanwhile_and_what_was_not_shown(build, personas, client_as):
    shown = issue_letter(build, personas, name="Ann First")
    handed = issue_letter(build, personas, name="Bob Handed")
    not_shown = issue_letter(build, personas, name="Cat Later")
    delivery.letter_hand_record(actor=personas["head"], letter=handed, handed_over_by="Mrs Head",
                                handed_at=timezone.now())
    client_as("office").post(MARK_ALL, {"school": build.school.pk, "letters": [shown.pk, handed.pk],
                                        "posted_on": timezone.localdate().isoformat()})
    handed.refresh_from_db()
    not_shown.refresh_from_db()
    assert handed.posted_on is None and handed.handed_over_by == "Mrs Head"
    assert not_shown.delivered_at is None


def test_mark_all_with_another_schools_letter_marks_nothing(build, personas, client_as, other_school):
    mine = issue_letter(build, personas)
    theirs = issue_letter(build, personas, school=other_school, name="Fay Two")
    response = client_as("office").post(MARK_ALL, {"school": build.school.pk, "letters": [mine.pk, theirs.pk],
                                                   "posted_on": timezone.localdate().isoformat()}, follow=True)
    assert "Nothing was marked" in response.content.decode()
    assert not Letter.objects.filter(pk__in=[mine.pk, theirs.pk], delivered_at__isnull=False).exists()
    # Naming the other school itself is a 404, as for any record of another school.
    assert client_as("office").post(MARK_ALL, {"school": other_school.pk, "letters": [theirs.pk],
                                               "posted_on": timezone.localdate().isoformat()}).status_code == 404


@pytest.mark.parametrize("data", [{}, {"posted_on": "9999-12-31"}, {"letters": ["abc"], "posted_on": "2026-01-01"},
                                  {"letters": ["99999999999999999999"]}, {"school": "²", "letters": ["1"]}])
def test_mark_all_refuses_what_is_not_a_pack(client_as, personas, posted_letter, data):
    response = client_as("office").post(MARK_ALL, {"school": posted_letter.incident.school_id, **data})
    assert response.status_code == 302
    posted_letter.refresh_from_db()
    assert posted_letter.delivered_at is None


def test_mark_all_refuses_a_day_in_the_future(build, client_as, posted_letter):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client_as("office").post(MARK_ALL, {"school": build.school.pk, "letters": [posted_letter.pk],
                                        "posted_on": tomorrow.isoformat()})
    posted_letter.refresh_from_db()
    assert posted_letter.delivered_at is None


def test_who_may_mark_all(client_as, posted_letter):
    statuses = {persona: _status(client_as, persona, MARK_ALL, "post") for persona in WHO}
    assert statuses == {**WHO, **{p: 302 for p in ("office", "senior", "head", "other_office", "other_head")}}
    assert client_as("office").get(MARK_ALL).status_code == 405


def test_more_letters_than_a_pack_holds(build, personas, client_as, monkeypatch):
    monkeypatch.setattr("sanctions.letters.delivery_views.PACK_LIMIT", 2)
    letters = [issue_letter(build, personas, name=name) for name in ("Ann One", "Bob Two", "Cat Three")]
    response = client_as("office").get(TO_POST)
    assert [letter.pk for letter in response.context["letters"]] == [letters[0].pk, letters[1].pk]
    assert "3 letters are waiting. This pack holds the 2 oldest" in response.content.decode()
    assert "Cat Three" not in pdf_text(client_as("office").get(PACK).content)


# The home page's work list ------------------------------------------------------------------


def _unsent(client):
    sections = {s["title"]: s for s in client.get("/").context["sections"]}
    return sections.get(UNSENT)


def test_the_office_sees_letters_not_yet_sent_and_the_head_their_count(build, personas, client_as):
    letter = issue_letter(build, personas)
    section = _unsent(client_as("office"))
    assert [item["title"] for item in section["items"]] == [letter.incident.reference]
    assert section["items"][0]["url"] == reverse("sanctions:letter_detail", args=[letter.pk])
    assert "warning letter by post, issued" in section["items"][0]["note"]
    assert section["items"][0]["next_step"] == "Post the letter"
    assert section["link"]["url"] == reverse("sanctions:letters_to_post")
    assert reverse("sanctions:letters_to_post") in client_as("office").get("/").content.decode()
    # Sending is the office's work: the head, who issued the letter, sees how many have not gone.
    assert _unsent(client_as("head")) is None
    folded = {c["label"]: c for g in client_as("head").get("/").context["folded"] for lst in g["lists"]
              for c in lst["counts"]}
    assert folded["letter not yet sent"]["n"] == 1
    assert folded["letter not yet sent"]["url"] == "/incidents/?work=letters_unsent"
    for persona in ("senior", "chair", "trust", "other_office"):
        section = _unsent(client_as(persona))
        assert section is None or section["items"] == []
    delivery.letter_post_mark(actor=personas["office"], letter=letter, posted_on=timezone.localdate())
    assert _unsent(client_as("office"))["items"] == []


def test_the_work_list_says_an_email_failed_and_marks_old_letters_overdue(build, personas, client_as):
    letter = issue_letter(build, personas, sent_by="email")
    Letter.objects.filter(pk=letter.pk).update(delivery_error="ConnectionRefusedError: refused",
                                               issued_at=timezone.now() - timedelta(days=3))
    item = _unsent(client_as("office"))["items"][0]
    assert "the email did not go" in item["note"] and item["overdue"]
    assert (item["next_step"], item["overdue_label"]) == ("Send the email again", "Overdue: issued 3 days ago")


def test_see_all_lists_exactly_the_sections_cases(build, personas, client_as):
    letter = issue_letter(build, personas)
    build.case()
    response = client_as("office").get("/incidents/?work=letters_unsent")
    assert [incident.pk for incident in response.context["page"].object_list] == [letter.incident_id]


def test_the_home_page_makes_the_same_queries_however_many_letters_wait(build, personas, client_as):
    office = client_as("office")
    issue_letter(build, personas)
    office.get("/")
    with CaptureQueriesContext(connection) as few:
        office.get("/")
    for n in range(3):
        issue_letter(build, personas, sent_by=("post", "email", "hand")[n], name=f"More Parent{n}")
    with CaptureQueriesContext(connection) as more:
        page = office.get("/")
    assert len(more) == len(few)
    assert len(_unsent_of(page)["items"]) == 4


def _unsent_of(response):
    return {s["title"]: s for s in response.context["sections"]}[UNSENT]
