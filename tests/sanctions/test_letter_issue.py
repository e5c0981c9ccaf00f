"""letter_issue and its neighbours: only the head issues; an issued letter never changes."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanctions.letters import services as letter_services
from sanctions.models import ActionKind, Letter, LetterKind, LetterStatus
from tests.sanctions.conftest import ROLE_PERSONAS

NOT_HEAD = [p for p in ROLE_PERSONAS if p != "head"]


@pytest.fixture
def warning(letters_case, personas):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)


def test_the_head_issues_and_the_bytes_and_hash_are_kept(warning, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED
    assert bytes(letter.pdf).startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()
    assert letter.issued_by == personas["head"] and letter.issued_at and letter.sent_by == "post"
    assert letter.incident.events.filter(kind="letter", summary__startswith="Letter issued").exists()


def test_issuing_marks_the_decisions_action_done(warning, personas, letters_case):
    letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="email")
    action = letters_case.decisions.last().followups.get(kind=ActionKind.WARNING_LETTER)
    assert action.done and action.done_by == personas["head"]
    assert not letters_case.decisions.last().followups.get(kind=ActionKind.MEETING).done


def test_a_ban_letter_completes_the_site_ban_action(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="hand")
    assert ban_case.decisions.last().followups.get(kind=ActionKind.SITE_BAN).done


@pytest.mark.parametrize("persona", NOT_HEAD)
def test_nobody_else_issues(persona, warning, personas):
    with pytest.raises(PermissionDenied):
        letter_services.letter_issue(actor=personas[persona], letter=warning, sent_by="post")
    warning.refresh_from_db()
    assert warning.status == LetterStatus.DRAFT and warning.pdf is None


@pytest.mark.parametrize("persona", ["senior", "head"])
def test_leaders_draft_and_edit(persona, letters_case, personas):
    letter = letter_services.letter_draft(actor=personas[persona], incident=letters_case,
                                          kind=LetterKind.MEETING_INVITATION)
    letter = letter_services.letter_update(actor=personas[persona], letter=letter, facts="Neutral facts.",
                                           specific_paragraphs="More.", expected_version=letter.version)
    assert letter.facts == "Neutral facts." and letter.version == 2


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_office", "other_head", "inactive"])
def test_others_do_not_draft_or_edit(persona, letters_case, warning, personas):
    with pytest.raises(PermissionDenied):
        letter_services.letter_draft(actor=personas[persona], incident=letters_case, kind=LetterKind.MEETING_INVITATION)
    with pytest.raises(PermissionDenied):
        letter_services.letter_update(actor=personas[persona], letter=warning, facts="x", specific_paragraphs="",
                                      expected_version=warning.version)


def test_an_issued_letter_refuses_every_change(warning, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")
    before = (bytes(letter.pdf), letter.sha256)
    with pytest.raises(ValidationError):
        letter_services.letter_update(actor=personas["head"], letter=letter, facts="Changed.", specific_paragraphs="",
                                      expected_version=letter.version)
    with pytest.raises(ValidationError):
        letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="email")
    with pytest.raises(ValidationError):
        letter_services.letter_discard(actor=personas["head"], letter=letter)
    # Even a direct save cannot swap the bytes.
    letter.pdf = b"%PDF-1.7 forged"
    with pytest.raises(ValueError):
        letter.save()
    letter = Letter.objects.get(pk=letter.pk)
    assert (bytes(letter.pdf), letter.sha256) == before


def test_a_correction_supersedes_the_original_when_issued(warning, personas):
    original = letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")
    correction = letter_services.letter_correct(actor=personas["senior"], letter=original)
    assert correction.supersedes == original and correction.status == LetterStatus.DRAFT
    with pytest.raises(ValidationError):
        letter_services.letter_correct(actor=personas["senior"], letter=original)
    letter_services.letter_update(actor=personas["senior"], letter=correction, facts="Corrected facts.",
                                  specific_paragraphs="", expected_version=correction.version)
    letter_services.letter_issue(actor=personas["head"], letter=correction, sent_by="post")
    original_bytes = bytes(original.pdf)
    original.refresh_from_db()
    assert original.status == LetterStatus.SUPERSEDED
    assert bytes(original.pdf) == original_bytes


def test_a_letter_needs_the_matching_decision(ban_case, personas):
    with pytest.raises(ValidationError):
        letter_services.letter_draft(actor=personas["senior"], incident=ban_case, kind=LetterKind.WARNING)


def test_a_stale_draft_version_is_refused(warning, personas):
    letter_services.letter_update(actor=personas["senior"], letter=warning, facts="First.", specific_paragraphs="",
                                  expected_version=1)
    with pytest.raises(ValidationError):
        letter_services.letter_update(actor=personas["head"], letter=warning, facts="Second.", specific_paragraphs="",
                                      expected_version=1)


def test_posting_needs_an_address(warning, personas):
    person = warning.person
    person.address = ""
    person.save()
    with pytest.raises(ValidationError):
        letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")


def test_only_one_draft_of_a_kind(warning, personas, letters_case):
    with pytest.raises(ValidationError):
        letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)
    letter_services.letter_discard(actor=personas["senior"], letter=warning)
    assert letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)
