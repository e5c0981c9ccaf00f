"""conduct_audit's letter and ban checks: tampered letter bytes, a ban in force with no letter issued."""

from io import StringIO

import pytest
from django.core.management import call_command

from sanctions.audit import CHECKS, run_audit
from sanctions.bans.audit import check_bans_in_force_have_letters, check_bans_signed_off
from sanctions.letters import services as letter_services
from sanctions.letters.audit import check_issued_letters_unchanged
from sanctions.models import ChairConsultation, Letter


def test_the_checks_are_registered():
    assert check_issued_letters_unchanged in CHECKS and check_bans_in_force_have_letters in CHECKS


def test_a_clean_record_passes(confirmed_ban):
    assert run_audit() == []
    out = StringIO()
    call_command("conduct_audit", stdout=out)
    assert "No problems found." in out.getvalue()


def test_tampered_letter_bytes_are_caught(confirmed_ban):
    letter = confirmed_ban.letters.get(kind="ban_confirmed")
    forged = bytes(letter.pdf).replace(b"%PDF-", b"%PDF-", 1) + b"\n% altered"
    Letter.objects.filter(pk=letter.pk).update(pdf=forged)  # behind the services' back
    problems = run_audit()
    assert (confirmed_ban.incident.reference,
            f"issued letter {letter.pk} (Ban confirmation) no longer matches its SHA-256: "
            "the stored PDF has been changed"
            ) in problems
    with pytest.raises(SystemExit) as exit_:
        call_command("conduct_audit", stdout=StringIO(), stderr=StringIO())
    assert exit_.value.code == 1


def test_a_ban_in_force_without_an_issued_letter_is_caught(ban_case, make_ban, personas):
    ban = make_ban(ban_case)  # provisional, in force, its letter still a draft
    assert [ref for ref, _ in check_bans_in_force_have_letters()] == [ban_case.reference]
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    assert list(check_bans_in_force_have_letters()) == []


def test_a_ban_whose_sign_off_was_undone_is_caught(confirmed_ban):
    assert list(check_bans_signed_off()) == []
    ChairConsultation.objects.filter(pk=confirmed_ban.consultation_id).update(signed_off=False, reasons_not_signed="x")
    assert [ref for ref, _ in check_bans_signed_off()] == [confirmed_ban.incident.reference]
