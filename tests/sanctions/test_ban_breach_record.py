"""A breach of a ban in one step: a new case about the banned person, linked to the ban both ways, the head
and case leaders emailed at once with the reference and a link only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from incidents.models import BreachCategory, CaseEvent, Involvement
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanBreach, ReviewOutcome
from tests.builders import while_in_force


def _record(ban, actor, **overrides):
    data = {"occurred_at": while_in_force(ban, timedelta(minutes=10)), "place": "Main gate",
            "what_happened": "Came to the gate at pick-up and shouted at the site manager.",
            "categories": BreachCategory.objects.filter(code__in=["inappropriate-behaviour"]),
            "police_called": True, "police_reference": "CAD 1234"} | overrides
    return ban_services.ban_breach_record(actor=actor, ban=ban, **data)


def test_it_creates_a_linked_case_about_the_banned_person_at_the_school(confirmed_ban, personas, school,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        breach = _record(confirmed_ban, personas["office"])
    case = breach.incident
    assert case.school == school and case.stage == Stage.REPORTED and case.pk != confirmed_ban.incident_id
    assert list(case.people.filter(incident_links__involvement=Involvement.SUBJECT)) == [confirmed_ban.person]
    assert [c.code for c in case.categories.all()] == ["inappropriate-behaviour"]
    assert confirmed_ban.incident.reference in case.description and "shouted at the site manager" in case.description
    assert "CAD 1234" in case.description and case.location_detail == "Main gate"
    assert list(confirmed_ban.breaches.all()) == [breach]
    assert CaseEvent.objects.filter(incident=case, kind="breach").exists()
    assert CaseEvent.objects.filter(incident=confirmed_ban.incident, kind="breach",
                                    summary__contains=case.reference).exists()


def test_the_head_and_case_leaders_are_emailed_once_each_with_the_reference_and_link_only(
        confirmed_ban, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        breach = _record(confirmed_ban, personas["office"])
    [email] = mail.outbox
    assert sorted(email.to) == sorted([personas["head"].email, personas["senior"].email])
    assert breach.incident.reference in email.subject and f"/incidents/{breach.incident.pk}/" in email.body
    for secret in (confirmed_ban.person.full_name, "site manager", "CAD 1234", "Main gate"):
        assert secret not in email.body and secret not in email.subject


def test_nothing_is_emailed_when_the_record_is_refused(confirmed_ban, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _record(confirmed_ban, personas["office"], what_happened="  ")
    assert mail.outbox == [] and not BanBreach.objects.exists()


def test_a_lifted_ban_cannot_be_breached(confirmed_ban, personas):
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    with pytest.raises(ValidationError) as error:
        _record(confirmed_ban, personas["office"])
    assert "not in force" in str(error.value)


def test_a_time_before_the_ban_began_is_not_a_breach(confirmed_ban, personas):
    before = timezone.now() - timedelta(days=(timezone.localdate() - confirmed_ban.starts_on).days + 2)
    with pytest.raises(ValidationError) as error:
        _record(confirmed_ban, personas["office"], occurred_at=before)
    assert "occurred_at" in error.value.error_dict


def test_a_police_reference_needs_the_police_called(confirmed_ban, personas):
    with pytest.raises(ValidationError) as error:
        _record(confirmed_ban, personas["office"], police_called=False)
    assert "police_reference" in error.value.error_dict


def test_without_the_police_no_reference_is_kept(confirmed_ban, personas):
    breach = _record(confirmed_ban, personas["office"], police_called=False, police_reference="")
    assert breach.police_reference == "" and "Police not called." in breach.incident.description


@pytest.mark.parametrize("persona", ["chair", "other_office", "other_head", "trust"])
def test_only_staff_of_the_school_who_log_incidents_may_report(confirmed_ban, personas, persona):
    with pytest.raises(PermissionDenied):
        _record(confirmed_ban, personas[persona])
    assert not BanBreach.objects.exists()


def test_a_second_breach_is_a_second_case(confirmed_ban, personas):
    first = _record(confirmed_ban, personas["office"])
    second = _record(confirmed_ban, personas["senior"], police_called=False, police_reference="")
    assert first.incident_id != second.incident_id
    assert set(confirmed_ban.breaches.values_list("pk", flat=True)) == {first.pk, second.pk}
