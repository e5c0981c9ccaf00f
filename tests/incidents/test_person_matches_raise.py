"""incidents.services.person_matches_raise: naming a person at one school raises an alert when another school of
the trust holds a ban in force or starting, or a case in the last year, about them (issue 21.5)."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services
from incidents.models import MatchReason, MatchStatus, PersonMatch
from tests.incidents.person_matches import banned_at_one, lookalike_at_two, named_at_two

pytestmark = pytest.mark.django_db


def test_a_likely_match_banned_at_school_one_is_raised_when_named_at_school_two(build, personas, school,
                                                                                other_school, caplog):
    # The case at school one is over a year old: only the ban (in force) can raise the alert.
    case, ban = banned_at_one(build, personas, school, days_ago=400)
    lookalike = lookalike_at_two(personas, other_school)
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        named_at_two(personas, other_school, lookalike)
    match = PersonMatch.objects.get()
    assert (match.school, match.person, match.other_school, match.other_person) == (
        school, ban.person, other_school, lookalike)
    assert (match.reason, match.status) == (MatchReason.LIKELY, MatchStatus.OPEN)
    assert match.history.get().history_change_reason.startswith("Alert raised")
    assert match.history.get().history_user == personas["other_office"]
    assert any("person_match_raised" in r.getMessage() for r in caplog.records)


def test_the_same_record_with_a_recent_case_at_school_one_is_raised(build, personas, school, other_school):
    case = build.incident()
    named_at_two(personas, other_school, case.subjects()[0])
    match = PersonMatch.objects.get()
    assert match.reason == MatchReason.SAME_RECORD
    assert match.person == match.other_person == case.subjects()[0]


def test_nothing_is_raised_without_a_ban_or_a_case_in_the_last_year(build, personas, school, other_school):
    old = build.incident(days_ago=400)
    named_at_two(personas, other_school, old.subjects()[0])
    named_at_two(personas, other_school, lookalike_at_two(personas, other_school))
    assert not PersonMatch.objects.exists()


def test_a_like_name_without_the_same_contact_details_is_not_a_likely_match(build, personas, school,
                                                                            other_school):
    build.incident()
    named_at_two(personas, other_school, lookalike_at_two(personas, other_school, email="someone@else.example"))
    assert not PersonMatch.objects.exists()


def test_the_same_phone_or_address_with_a_like_name_is_a_likely_match(build, personas, school, other_school):
    build.incident()
    other = lookalike_at_two(personas, other_school, name="Mrs Pat Parent", email="",
                             address="1 Home Street, Town")
    named_at_two(personas, other_school, other)
    assert PersonMatch.objects.get().reason == MatchReason.LIKELY


def test_a_dismissed_pair_is_never_raised_again_and_an_open_one_is_refreshed(build, personas, school, other_school):
    banned_at_one(build, personas, school)
    lookalike = lookalike_at_two(personas, other_school)
    named_at_two(personas, other_school, lookalike)
    match = PersonMatch.objects.get()
    first_raised = match.raised_at
    named_at_two(personas, other_school, lookalike)
    match.refresh_from_db()
    assert match.raised_at > first_raised and match.history.count() == 2
    services.person_match_dismiss(actor=personas["other_head"], match=match)
    named_at_two(personas, other_school, lookalike)
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME and PersonMatch.objects.count() == 1
    assert match.history.count() == 3  # raised, raised again, dismissed; not raised a third time


def test_the_check_reads_a_bounded_number_of_queries_whatever_the_data(build, personas, school, other_school):
    banned_at_one(build, personas, school)
    lookalike = lookalike_at_two(personas, other_school)
    incident = named_at_two(personas, other_school, lookalike)

    def count():
        with CaptureQueriesContext(connection) as queries:
            services.person_matches_raise(actor=personas["other_office"], incident=incident)
        return len(queries)

    small = count()
    for n in range(4):
        build.incident(person=build.person(name=f"Someone Else {n}"), days_ago=n + 1)
        build.incident(school=other_school, days_ago=n + 1)
    assert count() == small


def test_the_match_is_written_in_the_service_transaction(build, personas, school, other_school, monkeypatch):
    banned_at_one(build, personas, school)
    lookalike = lookalike_at_two(personas, other_school)

    def broken(**kwargs):
        raise RuntimeError("the evidence could not be stored")

    # Evidence is stored after the alert is raised: its failure rolls the alert back with the case.
    monkeypatch.setattr(services, "_evidence_store", broken)
    with pytest.raises(RuntimeError):
        services.incident_create(
            actor=personas["other_office"], school=other_school,
            occurred_at=timezone.now() - timedelta(hours=1),
            location="premises", description="x", reported_by="y", subjects=[lookalike],
            categories=list(services.BreachCategory.objects.filter(code="offensive-language")),
            evidence_files=[("file", "note")])
    assert not PersonMatch.objects.exists()
