"""The letter pages: draft, edit, preview, issue, download, correct, discard."""

import hashlib

import pytest
from django.urls import reverse

from sanctions.letters import services as letter_services
from sanctions.models import Letter, LetterKind, LetterStatus
from tests.sanctions.conftest import expected_statuses


@pytest.fixture
def warning(letters_case, personas):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)


@pytest.fixture
def issued(warning, personas):
    return letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")


READ_ALL = expected_statuses(office=200, senior=200, head=200, chair=200, trust=200)
LEADERS = expected_statuses(office=403, senior=200, head=200, chair=403, trust=403)


def test_letter_detail_is_for_the_schools_readers(warning, check_access):
    check_access(reverse("sanctions:letter_detail", args=[warning.pk]), READ_ALL)


def test_html_and_pdf_previews_of_a_draft(warning, check_access, client_as):
    check_access(reverse("sanctions:letter_preview", args=[warning.pk]), READ_ALL)
    check_access(reverse("sanctions:letter_preview_pdf", args=[warning.pk]), READ_ALL)
    html = client_as("head").get(reverse("sanctions:letter_preview", args=[warning.pk])).content.decode()
    assert warning.person.full_name in html and "<style" not in html and "style=" not in html
    response = client_as("head").get(reverse("sanctions:letter_preview_pdf", args=[warning.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")


def test_letter_new_is_for_leaders(letters_case, check_access, client_as):
    url = reverse("sanctions:letter_new", args=[letters_case.pk])
    check_access(url, LEADERS)
    person = letters_case.subjects()[0]
    response = client_as("senior").post(url, {"kind": LetterKind.MEETING_INVITATION, "person": person.pk})
    letter = Letter.objects.get(incident=letters_case, kind=LetterKind.MEETING_INVITATION)
    assert response.status_code == 302 and response["Location"] == reverse("sanctions:letter_detail", args=[letter.pk])


def test_edit_a_draft(warning, check_access, client_as):
    url = reverse("sanctions:letter_edit", args=[warning.pk])
    check_access(url, LEADERS)
    response = client_as("senior").post(url, {"facts": "Neutral account.", "specific_paragraphs": "Extra.",
                                              "version": warning.version})
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.facts == "Neutral account." and warning.specific_paragraphs == "Extra."


def test_only_the_head_issues(warning, client_as):
    url = reverse("sanctions:letter_issue", args=[warning.pk])
    for persona in ("office", "senior", "chair", "trust"):
        assert client_as(persona).post(url, {"sent_by": "post"}).status_code == 403
    for persona in ("other_office", "other_head"):
        assert client_as(persona).post(url, {"sent_by": "post"}).status_code == 404
    assert client_as("anonymous").post(url, {"sent_by": "post"})["Location"].startswith("/accounts/login/")
    assert client_as("head").get(url).status_code == 405
    warning.refresh_from_db()
    assert warning.status == LetterStatus.DRAFT
    assert client_as("head").post(url, {"sent_by": "post"}).status_code == 302
    warning.refresh_from_db()
    assert warning.status == LetterStatus.ISSUED


def test_the_issue_form_asks_for_confirmation(warning, client_as):
    page = client_as("head").get(reverse("sanctions:letter_detail", args=[warning.pk])).content.decode()
    assert 'data-confirm="Issue this letter?' in page
    senior_page = client_as("senior").get(reverse("sanctions:letter_detail", args=[warning.pk])).content.decode()
    assert "Issue the letter" not in senior_page


def test_download_returns_the_identical_stored_bytes(issued, check_access, client_as):
    url = reverse("sanctions:letter_download", args=[issued.pk])
    check_access(url, READ_ALL)
    first = client_as("office").get(url)
    second = client_as("trust").get(url)
    assert first["Content-Type"] == "application/pdf"
    assert hashlib.sha256(first.content).hexdigest() == hashlib.sha256(second.content).hexdigest() == issued.sha256
    assert first.content == bytes(Letter.objects.get(pk=issued.pk).pdf)


def test_a_draft_has_nothing_to_download(warning, client_as):
    assert client_as("head").get(reverse("sanctions:letter_download", args=[warning.pk])).status_code == 404


def test_editing_an_issued_letter_is_refused(issued, client_as):
    url = reverse("sanctions:letter_edit", args=[issued.pk])
    response = client_as("head").post(
        url, {"facts": "Rewritten.", "specific_paragraphs": "", "version": issued.version})
    assert response.status_code == 302
    after = Letter.objects.get(pk=issued.pk)
    assert after.facts != "Rewritten." and after.sha256 == issued.sha256
    # The preview of an issued letter is the stored PDF, never a fresh rendering.
    preview = client_as("head").get(reverse("sanctions:letter_preview", args=[issued.pk]))
    assert preview["Location"] == reverse("sanctions:letter_download", args=[issued.pk])


def test_correct_an_issued_letter(issued, client_as):
    url = reverse("sanctions:letter_correct", args=[issued.pk])
    for persona in ("office", "chair", "trust"):
        assert client_as(persona).post(url).status_code == 403
    assert client_as("other_head").post(url).status_code == 404
    response = client_as("senior").post(url)
    correction = Letter.objects.get(supersedes=issued)
    assert response["Location"] == reverse("sanctions:letter_detail", args=[correction.pk])


def test_discard_a_draft(warning, client_as):
    url = reverse("sanctions:letter_discard", args=[warning.pk])
    assert client_as("office").post(url).status_code == 403
    assert client_as("other_office").post(url).status_code == 404
    assert client_as("senior").post(url).status_code == 302
    assert not Letter.objects.filter(pk=warning.pk).exists()
