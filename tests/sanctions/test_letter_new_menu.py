"""Draft a letter: only the kinds the case's state allows are offered; the others are listed with the reason
and a link to the step that enables them."""

from django.urls import reverse

from sanctions.letters import services as letter_services
from sanctions.models import LetterKind, SiteBan


def _page(client, incident):
    return client.get(reverse("sanctions:letter_new", args=[incident.pk])).content.decode()


def test_a_ban_case_before_the_ban_offers_no_ban_letter_and_points_to_recording_it(ban_case, client_as):
    page = _page(client_as("head"), ban_case)
    for kind in (LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN):
        assert f'value="{kind.value}"' not in page
        assert f"{kind.label}</span>: A “{kind.label}” letter needs a ban." in page
    assert page.count(reverse("sanctions:ban_new", args=[ban_case.pk])) == 2
    assert "Record the ban" in page


def test_after_a_provisional_ban_only_its_letter_kind_is_offered(ban_case, make_ban, client_as, personas):
    ban = make_ban(ban_case)
    letter_services.letter_discard(actor=personas["head"], letter=ban.letters.get())
    page = _page(client_as("head"), ban_case)
    assert f'value="{LetterKind.PROVISIONAL_BAN.value}"' in page
    for kind in (LetterKind.INTENDED_BAN, LetterKind.BAN_CONFIRMATION, LetterKind.BAN_REVIEW,
                 LetterKind.WARNING, LetterKind.MEETING_INVITATION):
        assert f'value="{kind.value}"' not in page
    assert "Confirm the ban" in page and reverse("sanctions:ban_confirm", args=[ban.pk]) in page


def test_the_offered_ban_letter_is_drafted_about_the_cases_ban(ban_case, make_ban, client_as, personas):
    ban = make_ban(ban_case)
    letter_services.letter_discard(actor=personas["head"], letter=ban.letters.get())
    response = client_as("head").post(reverse("sanctions:letter_new", args=[ban_case.pk]), {
        "kind": LetterKind.PROVISIONAL_BAN, "person": ban.person_id})
    assert response.status_code == 302
    letter = ban.letters.get()
    assert letter.kind == LetterKind.PROVISIONAL_BAN and letter.ban_id == ban.pk


def test_a_kind_not_offered_is_refused_once_with_the_typed_choice_kept(ban_case, client_as):
    response = client_as("head").post(reverse("sanctions:letter_new", args=[ban_case.pk]), {
        "kind": LetterKind.BAN_CONFIRMATION, "person": ban_case.subjects()[0].pk})
    page = response.content.decode()
    assert response.status_code == 200 and not SiteBan.objects.filter(incident=ban_case).exists()
    assert page.count("Select a valid choice") == 1


def test_a_warning_case_offers_the_warning_and_the_meeting(letters_case, client_as):
    page = _page(client_as("senior"), letters_case)
    assert f'value="{LetterKind.WARNING.value}"' in page
    assert f'value="{LetterKind.MEETING_INVITATION.value}"' in page
    # The five ban letters share their one reason on one line.
    assert ("Notice of intended ban, Provisional ban, Ban confirmation, Ban withdrawn or lifted, Ban review outcome"
            "</span>: The head&#x27;s decision does not include a site ban." in page)
    # Only the head records a ban, and a warning case has no ban decision: no link to a step that cannot come.
    assert reverse("sanctions:ban_new", args=[letters_case.pk]) not in page


def test_a_refused_service_error_shows_once(ban_case, make_ban, client_as):
    """The error summary says it; the form does not repeat it above the fields."""
    ban = make_ban(ban_case)
    response = client_as("head").post(reverse("sanctions:letter_new", args=[ban_case.pk]), {
        "kind": LetterKind.PROVISIONAL_BAN, "person": ban.person_id})
    assert response.content.decode().count("A draft of this letter already exists") == 1
