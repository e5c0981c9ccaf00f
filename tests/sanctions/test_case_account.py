"""The case's account for letters: drafted from the office's description and marked as staff wording,
written once for the parent, refused in a letter until then, and reused by each later letter."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services
from sanctions.models import CaseAccount, LetterKind, LetterStatus

REWRITE = "On Monday at the gate, you shouted at the Year 4 teacher and would not leave when asked."


@pytest.fixture
def staff_case(build):
    """A decided ban case whose account nobody has written for the parent yet."""
    return build.case(stage=Stage.DECIDED, ban=True, account=False, categories=("threatening",))


def _rewrite(incident, actor, text=REWRITE):
    account = letter_services.case_account(incident, actor=actor)
    return letter_services.case_account_update(actor=actor, incident=incident, text=text,
                                               expected_version=account.version)


def test_a_first_draft_starts_from_the_description_marked_as_staff_wording(staff_case, make_ban):
    letter = make_ban(staff_case).letters.get()
    assert letter.facts == staff_case.description and not letter.facts_for_parent
    account = CaseAccount.objects.get(incident=staff_case)
    assert account.text == staff_case.description and not account.for_parent


def test_a_letter_on_staff_wording_cannot_be_issued(staff_case, make_ban, personas):
    letter = make_ban(staff_case).letters.get()
    with pytest.raises(ValidationError, match="written for staff"):
        letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and not letter.pdf


def test_rewriting_the_account_rewrites_drafts_still_on_staff_wording(staff_case, make_ban, personas):
    letter = make_ban(staff_case).letters.get()
    _rewrite(staff_case, personas["senior"])
    letter.refresh_from_db()
    assert letter.facts == REWRITE and letter.facts_for_parent
    issued = letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")
    assert issued.status == LetterStatus.ISSUED
    assert "Year 4 teacher" in issued.html


def test_the_confirmation_starts_from_the_provisional_letters_rewritten_wording(
        staff_case, make_ban, personas, deadline_passed):
    """Rewritten in the first letter's draft, not on the account page: the second letter still starts from it."""
    ban = make_ban(staff_case)
    provisional = ban.letters.get()
    provisional = letter_services.letter_update(
        actor=personas["head"], letter=provisional, facts=REWRITE, specific_paragraphs="",
        expected_version=provisional.version)
    letter_services.letter_issue(actor=personas["head"], letter=provisional, sent_by="hand")
    deadline_passed(ban)
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="The risk to staff remains.")
    confirmation = ban.letters.get(kind=LetterKind.BAN_CONFIRMATION)
    assert confirmation.facts == REWRITE and confirmation.facts_for_parent
    assert confirmation.facts != staff_case.description


def test_a_draft_never_rewritten_after_a_sent_letter_starts_from_the_wording_last_sent(
        letters_case, personas):
    warning = letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=LetterKind.WARNING)
    warning = letter_services.letter_update(actor=personas["senior"], letter=warning, facts="You swore at staff.",
                                            specific_paragraphs="", expected_version=warning.version)
    letter_services.letter_issue(actor=personas["head"], letter=warning, sent_by="post")
    meeting = letter_services.letter_draft(actor=personas["senior"], incident=letters_case,
                                           kind=LetterKind.MEETING_INVITATION)
    assert meeting.facts == "You swore at staff." and meeting.facts_for_parent


@pytest.mark.parametrize("persona", ["office", "chair", "other_head"])
def test_only_the_schools_leaders_write_it(staff_case, personas, persona):
    with pytest.raises(PermissionDenied):
        _rewrite(staff_case, personas[persona])
    assert not CaseAccount.objects.filter(incident=staff_case, for_parent=True).exists()


def test_an_empty_account_or_a_stale_version_is_refused(staff_case, personas):
    with pytest.raises(ValidationError, match="Say what happened"):
        _rewrite(staff_case, personas["senior"], text="  \n ")
    _rewrite(staff_case, personas["senior"])
    with pytest.raises(ValidationError, match="Someone else changed"):
        letter_services.case_account_update(actor=personas["head"], incident=staff_case, text="Other words.",
                                            expected_version=1)


def test_before_the_decision_there_is_no_account_to_write(build, personas):
    incident = build.case(stage=Stage.CONVERSATION)
    with pytest.raises(ValidationError, match="once the head has decided"):
        _rewrite(incident, personas["senior"])


def test_rewriting_writes_the_timeline_and_the_history(staff_case, personas):
    _rewrite(staff_case, personas["senior"])
    assert staff_case.events.filter(summary__contains="as letters tell it: rewritten").count() == 1
    account = CaseAccount.objects.get(incident=staff_case)
    assert account.history.first().history_user == personas["senior"]
    assert account.updated_by == personas["senior"] and account.version == 2
