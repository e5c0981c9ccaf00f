"""conduct_audit's breach check: a breach is on both cases' timelines, at the ban's own school."""

from datetime import timedelta

from django.utils import timezone

from incidents.models import BreachCategory, CaseEvent
from sanctions.audit import CHECKS, run_audit
from sanctions.bans import services as ban_services
from sanctions.bans.audit import check_breaches_link_both_cases


def _breach(ban, actor):
    return ban_services.ban_breach_record(
        actor=actor, ban=ban, occurred_at=timezone.now() - timedelta(minutes=5), place="Gate", what_happened="Came in.",
        categories=BreachCategory.objects.filter(code="inappropriate-behaviour"), police_called=False)


def test_the_check_is_registered():
    assert check_breaches_link_both_cases in CHECKS


def test_a_breach_recorded_through_the_service_passes(confirmed_ban, personas):
    _breach(confirmed_ban, personas["office"])
    assert list(check_breaches_link_both_cases()) == []


def test_a_breach_missing_from_the_bans_timeline_is_caught(confirmed_ban, personas):
    breach = _breach(confirmed_ban, personas["office"])
    CaseEvent.objects.filter(incident=confirmed_ban.incident, kind="breach").delete()  # behind the services' back
    assert (confirmed_ban.incident.reference,
            f"records a breach of a ban ({breach.incident.reference}) that its timeline does not show") in run_audit()
