"""conduct_audit's breach check: a breach is on both cases' timelines, at the ban's own school."""

from datetime import timedelta

from incidents.models import BreachCategory, CaseEvent
from sanctions.audit import CHECKS, run_audit
from sanctions.bans import services as ban_services
from sanctions.bans.audit import check_breaches_link_both_cases
from tests.builders import while_in_force


def _breach(ban, actor):
    return ban_services.ban_breach_record(
        actor=actor, ban=ban, place="Gate", what_happened="Came in.",
        occurred_at=while_in_force(ban, timedelta(minutes=5)),
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
