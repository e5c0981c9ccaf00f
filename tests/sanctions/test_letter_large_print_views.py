"""The large-print copy's pages: who may make it, who may download it, and the card on the letter's page."""

import pytest
from django.urls import reverse

from privacy.models import AccessLogEntry
from sanctions.letters import services as letter_services
from sanctions.letters.formats import letter_format_create
from sanctions.models import LetterFormat, LetterFormatKind, LetterKind
from tests.sanctions.conftest import expected_statuses

MAKERS = expected_statuses(office=302, senior=302, head=302, chair=403, trust=403)
READERS = expected_statuses(office=200, senior=200, head=200, chair=200, trust=200)
NOBODY_YET = expected_statuses(office=404, senior=404, head=404, chair=404, trust=404)


@pytest.fixture
def draft(letters_case, personas):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)


@pytest.fixture
def issued(draft, personas):
    draft = letter_services.letter_update(actor=personas["head"], letter=draft, facts="You shouted at staff.",
                                          specific_paragraphs="", expected_version=draft.version)
    return letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="post")


def make_url(letter):
    return reverse("sanctions:letter_large_print_make", args=[letter.pk])


def download_url(letter):
    return reverse("sanctions:letter_large_print", args=[letter.pk])


def test_the_office_leaders_and_head_make_it_and_nobody_else(issued, check_access):
    check_access(make_url(issued), MAKERS, method="post")
    # Made by the first who asked; the others found it made.
    copy = LetterFormat.objects.get(letter=issued)
    assert copy.kind == LetterFormatKind.LARGE_PRINT and copy.made_by.username == "office"


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office", "other_head", "inactive", "anonymous"])
def test_refused_requests_make_nothing(persona, issued, client_as):
    client_as(persona).post(make_url(issued))
    assert not LetterFormat.objects.exists()


def test_making_it_returns_to_the_letter_with_a_message(issued, client_as):
    response = client_as("office").post(make_url(issued), follow=True)
    assert response.redirect_chain == [(reverse("sanctions:letter_detail", args=[issued.pk]), 302)]
    assert "The large-print copy is made" in response.content.decode()


def test_making_it_is_a_post(issued, client_as):
    assert client_as("head").get(make_url(issued)).status_code == 405
    assert client_as("head").post(download_url(issued)).status_code == 405


def test_a_draft_is_refused_with_a_message(draft, client_as):
    response = client_as("head").post(make_url(draft), follow=True)
    assert "Only an issued letter has accessible copies" in response.content.decode()
    assert not LetterFormat.objects.exists()


def test_every_reader_downloads_the_stored_bytes_and_it_is_logged(issued, personas, check_access, client_as,
                                                                   caplog):
    check_access(download_url(issued), NOBODY_YET)
    copy = letter_format_create(actor=personas["office"], letter=issued, kind=LetterFormatKind.LARGE_PRINT)
    check_access(download_url(issued), READERS)
    AccessLogEntry.objects.all().delete()
    with caplog.at_level("INFO", logger="conduct.audit"):
        response = client_as("chair").get(download_url(issued))
    assert response.content == bytes(copy.pdf) and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{issued.incident.reference}-warning-{issued.pk}-large-print.pdf"')
    assert f"letter_large_print_download user={personas['chair'].pk}" in caplog.text
    assert f"sha256={copy.sha256}" in caplog.text
    assert AccessLogEntry.objects.filter(user=personas["chair"], kind="letter", object_id=issued.pk).count() == 1


@pytest.mark.parametrize("pk", [0, 99999999999999999999])
def test_no_letter_is_a_404(pk, client_as):
    assert client_as("head").get(f"/letters/{pk}/large-print.pdf").status_code == 404
    assert client_as("head").post(f"/letters/{pk}/large-print/").status_code == 404


def page(client, letter):
    return client.get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()


def test_the_letter_page_offers_the_copy_to_those_who_may_make_it(issued, client_as):
    html = page(client_as("office"), issued)
    assert "Accessible formats" in html and "Make a large-print copy" in html and make_url(issued) in html
    html = page(client_as("chair"), issued)
    assert "Accessible formats" in html and "Make a large-print copy" not in html
    assert "No large-print copy has been made" in html


def test_the_letter_page_shows_the_copy_its_maker_and_its_hash(issued, personas, client_as):
    copy = letter_format_create(actor=personas["senior"], letter=issued, kind=LetterFormatKind.LARGE_PRINT)
    html = page(client_as("chair"), issued)
    assert download_url(issued) in html and copy.sha256 in html and "by Senior" in html
    assert "Make a large-print copy" not in page(client_as("head"), issued)


def test_a_drafts_page_has_no_accessible_formats(draft, client_as):
    assert "Accessible formats" not in page(client_as("head"), draft)
