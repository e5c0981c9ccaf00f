"""The ban form asks for what happened as the letter tells it while the case's account is still the office's
words (issue 25): written there, the ban's letter is drafted with it, ready to issue; left empty, the letter asks
for it as before; once written (a second ban), the form does not ask again."""

from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.bans.services import ban_withdraw
from sanctions.models import CaseAccount, LetterStatus, SiteBan

FIELD = "What happened, as the letter tells it"
WORDS = "On Monday at the gate, you shouted at the deputy head."


@pytest.fixture
def staff_worded(build):
    return build.case(stage=Stage.DECIDED, ban=True, account=False, categories=("threatening",))


def _post(client, incident, school, today, **data):
    return client.post(reverse("sanctions:ban_new", args=[incident.pk]), {
        "person": incident.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(), "reasons": "Staff were threatened.",
        "pupil_arrangements": "An aunt collects Sam.", **data})


def test_asked_while_the_account_is_the_offices(staff_worded, ban_case, client_as):
    assert FIELD in client_as("head").get(reverse("sanctions:ban_new", args=[staff_worded.pk])).content.decode()
    assert FIELD not in client_as("head").get(reverse("sanctions:ban_new", args=[ban_case.pk])).content.decode()


def test_written_there_the_letter_is_drafted_with_it(staff_worded, client_as, school, today, personas):
    response = _post(client_as("head"), staff_worded, school, today, account_for_parent=WORDS)
    letter = SiteBan.objects.get(incident=staff_worded).letters.get()
    assert response["Location"] == reverse("sanctions:letter_detail", args=[letter.pk])
    assert (letter.facts, letter.facts_for_parent) == (WORDS, True)
    account = CaseAccount.objects.get(incident=staff_worded)
    assert (account.text, account.for_parent, account.updated_by) == (WORDS, True, personas["head"])
    assert staff_worded.events.filter(summary="What happened, as letters tell it: rewritten").exists()
    page = client_as("head").get(response["Location"]).content.decode()
    assert "Rewrite what happened for the parent" not in page


def test_left_empty_the_letter_asks_for_it(staff_worded, client_as, school, today):
    response = _post(client_as("head"), staff_worded, school, today, account_for_parent="  ")
    letter = SiteBan.objects.get(incident=staff_worded).letters.get()
    assert letter.facts_for_parent is False and letter.facts == staff_worded.description
    assert "Rewrite what happened for the parent" in client_as("head").get(response["Location"]).content.decode()


def test_after_a_withdrawn_ban_it_is_not_asked_again(staff_worded, client_as, school, today, personas):
    _post(client_as("head"), staff_worded, school, today, account_for_parent=WORDS)
    ban_withdraw(actor=personas["head"], ban=SiteBan.objects.get(incident=staff_worded), reasons="Withdrawn.")
    assert FIELD not in client_as("head").get(reverse("sanctions:ban_new", args=[staff_worded.pk])).content.decode()
    assert CaseAccount.objects.get(incident=staff_worded).text == WORDS


def test_once_written_words_posted_past_the_form_change_nothing(ban_case, client_as, school, today):
    before = CaseAccount.objects.get(incident=ban_case).text
    _post(client_as("head"), ban_case, school, today, account_for_parent="Words sent past the form.")
    draft = SiteBan.objects.get(incident=ban_case).letters.get(status=LetterStatus.DRAFT)
    assert (draft.facts, draft.facts_for_parent) == (before, True)
    assert CaseAccount.objects.get(incident=ban_case).text == before


def test_too_long_is_a_message_and_keeps_what_was_typed(staff_worded, client_as, school, today):
    response = _post(client_as("head"), staff_worded, school, today, account_for_parent="x" * 20001,
                     reasons="Typed reasons")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 20000 characters" in page and "Typed reasons" in page
    assert not SiteBan.objects.filter(incident=staff_worded).exists()
