"""conduct_audit: every ban has its own sign-off by its school's Chair, and covers only its school's site."""

from conduct.models import StaffRole
from sanctions.audit import CHECKS, run_audit
from sanctions.bans import services as ban_services
from sanctions.bans.audit import check_bans_cover_their_own_site, check_bans_signed_off
from sanctions.models import BanStatus, SiteBan


def test_the_checks_are_registered():
    assert check_bans_signed_off in CHECKS and check_bans_cover_their_own_site in CHECKS


def test_a_second_ban_on_one_sign_off_is_caught(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Apology accepted.")
    assert list(check_bans_signed_off()) == []
    # Written as it could be before the rule, then flagged by migration 0004.
    twin = SiteBan.objects.get(pk=ban.pk)
    twin.pk, twin.status, twin.shared_signoff = None, BanStatus.PROVISIONAL, True
    twin.save()
    problems = list(check_bans_signed_off())
    assert len(problems) == 2 and all("shares its Chair's sign-off" in p for _, p in problems)


def test_a_sign_off_by_someone_not_the_chair_is_caught(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    StaffRole.objects.filter(user=personas["chair"]).delete()  # a former Chair still counts
    assert list(check_bans_signed_off()) == []
    ban.consultation.__class__.objects.filter(pk=ban.consultation_id).update(chair=personas["senior"])
    assert [p for _, p in check_bans_signed_off()] == [
        f"the ban on {ban.person.full_name} was signed off by someone who is not the school's Chair"]


def test_a_ban_on_another_schools_site_is_caught(ban_case, make_ban, other_school):
    ban = make_ban(ban_case)
    assert run_audit() == [] or all("letter" in p for _, p in run_audit())
    ban.sites.add(other_school)
    assert list(check_bans_cover_their_own_site()) == [
        (ban_case.reference, f"the ban on {ban.person.full_name} covers School Two's site without that school")]
