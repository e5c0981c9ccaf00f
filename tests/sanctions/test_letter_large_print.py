"""letter_format_create: an issued letter again in large print, from the same frozen wording (issue 22.5)."""

import hashlib
import io
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from sanctions.letters import services as letter_services
from sanctions.letters.formats import formats_panel, letter_format_create
from sanctions.models import Letter, LetterFormat, LetterFormatKind, LetterKind, LetterStatus

LARGE = LetterFormatKind.LARGE_PRINT
FACTS = ("On the morning of the incident you came to the main gate at drop-off and spoke to a member of staff "
         "in a raised voice, in front of pupils.\n\nYou left when the Deputy Head came to the gate.")
# Running footers sit in the bottom margin (22 mm for the letter, 24 mm in large print): below this, in points.
FOOTER_TOP = 50


def issue(personas, draft):
    """Issue a draft the way a school does: its account of what happened rewritten for the parent first."""
    draft = letter_services.letter_update(actor=personas["head"], letter=draft, facts=FACTS,
                                          specific_paragraphs="We want Sam to be happy and safe at school.",
                                          expected_version=draft.version)
    return letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="post")


@pytest.fixture
def draft(letters_case, personas):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)


@pytest.fixture
def issued(draft, personas):
    return issue(personas, draft)


def runs(data: bytes):
    """(text, size in points to 0.01, height above the page's foot) of every piece of text drawn."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                found.append((text, round(size * scale, 2), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))
        page.extract_text(visitor_text=visit)
    return found


def wording(data: bytes) -> str:
    """The letter's words without the page furniture: footers differ (page counts), list bullets are drawn
    apart from their lines, and letter.css sets one label in capitals, which large print does not."""
    text = " ".join(t for t, _size, y in runs(data) if y > FOOTER_TOP).replace("•", "")
    return " ".join(text.split()).casefold()


def test_the_copy_has_the_letters_own_words_set_at_16_pt_or_more(issued, personas):
    copy = letter_format_create(actor=personas["office"], letter=issued, kind=LARGE)
    assert bytes(copy.pdf).startswith(b"%PDF-")
    assert wording(bytes(copy.pdf)) == wording(bytes(issued.pdf))
    assert "we want sam to be happy and safe at school." in wording(bytes(copy.pdf))
    sizes = [size for _t, size, _y in runs(bytes(copy.pdf))]
    # Everything on the page, the footer's reference and page number included; headings larger still.
    assert min(sizes) >= 16 and max(sizes) >= 20
    assert min(size for _t, size, _y in runs(bytes(issued.pdf))) < 16  # the letter as sent is normal print


def test_a_ban_letters_table_and_lists_keep_their_words(ban_case, make_ban, personas):
    letter = issue(personas, make_ban(ban_case).letters.get())
    copy = letter_format_create(actor=personas["head"], letter=letter, kind=LARGE)
    assert wording(bytes(copy.pdf)) == wording(bytes(letter.pdf))
    assert min(size for _t, size, _y in runs(bytes(copy.pdf))) >= 16


def test_the_copy_has_its_own_sha256_and_the_letter_is_unchanged(issued, personas):
    before = (bytes(issued.pdf), issued.sha256, issued.html)
    copy = letter_format_create(actor=personas["senior"], letter=issued, kind=LARGE)
    copy.refresh_from_db()
    assert copy.sha256 == hashlib.sha256(bytes(copy.pdf)).hexdigest()
    assert copy.sha256 != issued.sha256
    issued.refresh_from_db()
    assert (bytes(issued.pdf), issued.sha256, issued.html) == before
    assert copy.letter == issued and copy.kind == LARGE and copy.made_by == personas["senior"] and copy.made_at


def test_a_second_request_gives_the_same_copy(issued, personas):
    first = letter_format_create(actor=personas["office"], letter=issued, kind=LARGE)
    second = letter_format_create(actor=personas["head"], letter=issued, kind=LARGE)
    assert second.pk == first.pk and second.made_by == personas["office"]
    assert LetterFormat.objects.filter(letter=issued).count() == 1
    assert issued.incident.events.filter(summary__startswith="Large-print copy made").count() == 1


def test_the_history_and_the_case_timeline_say_who_made_it(issued, personas):
    copy = letter_format_create(actor=personas["office"], letter=issued, kind=LARGE)
    [row] = copy.history.all()
    assert row.history_user == personas["office"] and row.history_change_reason == "Large-print copy made"
    event = issued.incident.events.get(summary__startswith="Large-print copy made")
    assert event.summary == f"Large-print copy made: {issued.get_kind_display()} to {issued.person.full_name}"
    assert event.kind == "letter" and event.actor == personas["office"] and event.note == f"SHA-256 {copy.sha256}"


def test_a_draft_has_no_copy(draft, personas):
    with pytest.raises(ValidationError, match="Only an issued letter"):
        letter_format_create(actor=personas["head"], letter=draft, kind=LARGE)
    assert not LetterFormat.objects.exists()


def test_an_unknown_format_is_refused(issued, personas):
    with pytest.raises(ValidationError):
        letter_format_create(actor=personas["head"], letter=issued, kind="braille")
    assert not LetterFormat.objects.exists()


def test_a_superseded_letter_has_one_too(issued, personas):
    correction = letter_services.letter_correct(actor=personas["head"], letter=issued)
    issue(personas, correction)
    issued.refresh_from_db()
    assert issued.status == LetterStatus.SUPERSEDED
    copy = letter_format_create(actor=personas["head"], letter=issued, kind=LARGE)
    assert wording(bytes(copy.pdf)) == wording(bytes(issued.pdf))


def test_a_letter_issued_before_its_html_was_kept_is_rendered_again_as_issued(issued, personas):
    Letter.objects.filter(pk=issued.pk).update(html="")
    copy = letter_format_create(actor=personas["head"], letter=Letter.objects.get(pk=issued.pk), kind=LARGE)
    assert wording(bytes(copy.pdf)) == wording(bytes(issued.pdf))


@pytest.mark.parametrize("persona", ["office", "senior", "head"])
def test_the_schools_office_leaders_and_head_make_one(persona, issued, personas):
    assert letter_format_create(actor=personas[persona], letter=issued, kind=LARGE).made_by == personas[persona]


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office", "other_head", "inactive"])
def test_nobody_else_makes_one(persona, issued, personas):
    with pytest.raises(PermissionDenied):
        letter_format_create(actor=personas[persona], letter=issued, kind=LARGE)
    assert not LetterFormat.objects.exists()


def test_the_panel_offers_the_button_only_to_those_who_may(draft, personas):
    assert formats_panel(personas["head"], draft) == {"formats_shown": False}
    letter = issue(personas, draft)
    assert formats_panel(personas["office"], letter)["can_make_large_print"] is True
    assert formats_panel(personas["chair"], letter)["can_make_large_print"] is False
    copy = letter_format_create(actor=personas["office"], letter=letter, kind=LARGE)
    panel = formats_panel(personas["office"], letter)
    assert panel["large_print"].pk == copy.pk and panel["can_make_large_print"] is False
