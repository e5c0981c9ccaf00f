"""Rewriting what happened for the parent on the draft letter's own page: only the account changes, the
draft's other words stay, and the letter page shows the form only while the draft is on staff wording."""

import pytest
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.letters import services as letter_services
from sanctions.models import CaseAccount, LetterStatus

REWRITE = "On Monday at the gate, you shouted at the deputy head and kicked the gate."


@pytest.fixture
def draft(build, make_ban):
    """The provisional ban's draft letter, still telling what happened in the office's words."""
    case = build.case(stage=Stage.DECIDED, ban=True, account=False, categories=("threatening",))
    return make_ban(case).letters.get()


def _url(letter):
    return reverse("sanctions:letter_facts", args=[letter.pk])


def test_the_letter_page_offers_the_rewrite_in_place_to_those_who_edit(draft, client_as):
    detail = reverse("sanctions:letter_detail", args=[draft.pk])
    for persona in ("senior", "head"):
        page = client_as(persona).get(detail).content.decode()
        assert f'action="{_url(draft)}"' in page and "Rewrite what happened for the parent" in page
    for persona in ("office", "chair", "trust"):
        page = client_as(persona).get(detail).content.decode()
        assert _url(draft) not in page and "Written for staff" in page


def test_the_rewrite_changes_the_account_and_keeps_the_drafts_other_words(draft, client_as):
    reasons, arrangements = draft.reasons, draft.pupil_arrangements
    response = client_as("head").post(_url(draft), {"facts": REWRITE, "version": draft.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("sanctions:letter_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.facts, draft.facts_for_parent) == (REWRITE, True)
    assert (draft.reasons, draft.pupil_arrangements) == (reasons, arrangements)
    assert CaseAccount.objects.get(incident=draft.incident).text == REWRITE
    page = client_as("head").get(response["Location"]).content.decode()
    assert _url(draft) not in page and "written for the parent" in page


def test_an_empty_account_or_a_stale_version_keeps_what_was_typed(draft, client_as):
    response = client_as("head").post(_url(draft), {"facts": "   ", "version": draft.version})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    stale = client_as("head").post(_url(draft), {"facts": REWRITE, "version": draft.version + 1})
    assert stale.status_code == 200
    body = stale.content.decode()
    assert "Someone else changed this draft" in body and REWRITE in body
    draft.refresh_from_db()
    assert not draft.facts_for_parent


def test_an_issued_letter_is_never_rewritten(draft, client_as, personas):
    letter_services.letter_update(actor=personas["head"], letter=draft, facts=REWRITE, specific_paragraphs="",
                                  expected_version=draft.version)
    issued = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="post")
    response = client_as("head").post(_url(issued), {"facts": "Something else", "version": issued.version})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED and issued.facts == REWRITE


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_head"])
def test_who_may_not_rewrite(draft, client_as, persona):
    response = client_as(persona).post(_url(draft), {"facts": REWRITE, "version": draft.version})
    assert response.status_code == (404 if persona == "other_head" else 403)
    draft.refresh_from_db()
    assert not draft.facts_for_parent
