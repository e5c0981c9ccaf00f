"""Recording who the trust authorises under section 547 to remove a person from a school, and reading it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from conduct import services
from conduct.authorised import authorised_people
from conduct.models import AuthorisedPerson

SEPT = date(2026, 9, 1)
OUT_OF_RANGE = "Enter a date between 1 January 2000 and 31 December 2100."


def _add(actor, school, name="Sam Site", role="Site manager", authorised_from=SEPT):
    return services.authorised_person_add(actor=actor, school=school, name=name, role=role,
                                          authorised_from=authorised_from)


def test_the_administrator_adds_a_person_with_history(trust_admin, school):
    person = _add(trust_admin, school, name="  Sam Site ", role=" Site manager ")
    assert (person.name, person.role, person.authorised_from, person.authorised_until) == (
        "Sam Site", "Site manager", SEPT, None)
    assert person.school == school and person.added_by == trust_admin
    row = person.history.get()
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+", trust_admin, "Authorised under section 547")


def test_ending_keeps_the_record_and_writes_history(trust_admin, school):
    person = _add(trust_admin, school)
    services.authorised_person_end(actor=trust_admin, person=person, authorised_until=date(2027, 7, 20))
    person.refresh_from_db()
    assert person.authorised_until == date(2027, 7, 20)
    latest = person.history.first()
    assert latest.history_user == trust_admin
    assert latest.history_change_reason == "Authorisation under section 547 ended"
    assert latest.prev_record.authorised_until is None


def test_a_superuser_may_add(superuser, school):
    assert _add(superuser, school).added_by == superuser


@pytest.mark.parametrize("who", ["office", "senior", "head", "chair", "trust", "other_head", "inactive"])
def test_nobody_else_may_add_or_end(personas, trust_admin, school, who):
    with pytest.raises(PermissionDenied):
        _add(personas[who], school)
    person = _add(trust_admin, school)
    with pytest.raises(PermissionDenied):
        services.authorised_person_end(actor=personas[who], person=person, authorised_until=SEPT)
    person.refresh_from_db()
    assert person.authorised_until is None and AuthorisedPerson.objects.count() == 1


def test_anonymous_may_not_add(school, trust_admin):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _add(AnonymousUser(), school)


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2101, 1, 1), date(9999, 12, 31), date(1, 1, 1)])
def test_a_date_out_of_range_is_refused(trust_admin, school, day):
    with pytest.raises(ValidationError) as refused:
        _add(trust_admin, school, authorised_from=day)
    assert refused.value.message_dict["authorised_from"] == [OUT_OF_RANGE]
    person = _add(trust_admin, school, authorised_from=date(2000, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.authorised_person_end(actor=trust_admin, person=person, authorised_until=max(day, date(2101, 1, 1)))
    assert "Enter a date between" in refused.value.message_dict["authorised_until"][0]
    assert AuthorisedPerson.objects.get().authorised_until is None


def test_the_edges_of_the_range_are_accepted(trust_admin, school):
    person = _add(trust_admin, school, authorised_from=date(2000, 1, 1))
    services.authorised_person_end(actor=trust_admin, person=person, authorised_until=date(2100, 12, 31))


def test_an_end_before_the_start_is_refused(trust_admin, school):
    person = _add(trust_admin, school)
    with pytest.raises(ValidationError) as refused:
        services.authorised_person_end(actor=trust_admin, person=person, authorised_until=SEPT - timedelta(days=1))
    assert refused.value.message_dict == {"authorised_until": ["The authorisation cannot end before the day it began."]}
    person.refresh_from_db()
    assert person.authorised_until is None and person.history.count() == 1


def test_the_same_day_may_be_the_first_and_last(trust_admin, school):
    person = _add(trust_admin, school)
    services.authorised_person_end(actor=trust_admin, person=person, authorised_until=SEPT)


def test_an_ended_authorisation_cannot_end_again(trust_admin, school):
    person = _add(trust_admin, school)
    services.authorised_person_end(actor=trust_admin, person=person, authorised_until=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="ended on 1 Jan 2027 already"):
        services.authorised_person_end(actor=trust_admin, person=person, authorised_until=date(2027, 2, 1))
    person.refresh_from_db()
    assert person.authorised_until == date(2027, 1, 1) and person.history.count() == 2


@pytest.mark.parametrize(("name", "role", "field"), [("   ", "Site manager", "name"), ("Sam Site", "\t ", "role"),
                                                      ("x" * 201, "Site manager", "name")])
def test_a_blank_or_overlong_name_or_role_is_refused(trust_admin, school, name, role, field):
    with pytest.raises(ValidationError) as refused:
        _add(trust_admin, school, name=name, role=role)
    assert field in refused.value.message_dict
    assert not AuthorisedPerson.objects.exists()


def test_the_database_refuses_an_end_before_the_start(trust_admin, school):
    person = _add(trust_admin, school)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorisedPerson.objects.filter(pk=person.pk).update(authorised_until=SEPT - timedelta(days=1))


# The read ---------------------------------------------------------------------------------


def test_one_query_for_two_schools_excluding_the_ended_and_the_future(
        trust_admin, school, other_school, django_assert_num_queries):
    today = timezone.localdate()
    long_ago = today - timedelta(days=400)
    for name in ("Zoe Zed", "adam Ash", "Mo Middle"):
        _add(trust_admin, school, name=name, authorised_from=long_ago)
    ends_today = _add(trust_admin, school, name="Eve Endstoday", authorised_from=long_ago)
    services.authorised_person_end(actor=trust_admin, person=ends_today, authorised_until=today)
    ended = _add(trust_admin, school, name="Old Onewho", authorised_from=long_ago)
    services.authorised_person_end(actor=trust_admin, person=ended, authorised_until=today - timedelta(days=1))
    _add(trust_admin, school, name="Fay Future", authorised_from=today + timedelta(days=1))
    _add(trust_admin, other_school, name="Bo Other", authorised_from=today)
    _add(trust_admin, other_school, name="Al Other", authorised_from=long_ago)
    with django_assert_num_queries(1):
        found = authorised_people([school.pk, other_school.pk])
        names = {school_id: [p.name for p in people] for school_id, people in found.items()}
    assert names == {school.pk: ["adam Ash", "Eve Endstoday", "Mo Middle", "Zoe Zed"],
                     other_school.pk: ["Al Other", "Bo Other"]}


def test_on_a_given_day(trust_admin, school):
    person = _add(trust_admin, school, authorised_from=date(2026, 9, 1))
    services.authorised_person_end(actor=trust_admin, person=person, authorised_until=date(2027, 7, 20))
    assert [authorised_people([school.pk], on=day)[school.pk] for day in (
        date(2026, 8, 31), date(2026, 9, 1), date(2027, 7, 20), date(2027, 7, 21))] == [[], [person], [person], []]


def test_every_school_asked_for_is_a_key_and_no_schools_ask_nothing(school, other_school,
                                                                    django_assert_num_queries):
    with django_assert_num_queries(0):
        assert authorised_people([]) == {}
    assert authorised_people([school.pk, other_school.pk]) == {school.pk: [], other_school.pk: []}


# The snippet reception's pages include ------------------------------------------------------------


def test_the_snippet_lists_the_people(trust_admin, school):
    _add(trust_admin, school, name="Sam Site", role="Site manager", authorised_from=date(2026, 9, 1))
    html = render_to_string("conduct/_authorised_people.html",
                            {"authorised": authorised_people([school.pk], on=date(2026, 9, 2))[school.pk]})
    assert "Authorised by the trust to remove a person from the premises (section 547, Education Act 1996):" in html
    assert "<li>Sam Site, Site manager (since 1 Sep 2026)</li>" in html
    assert "<button" not in html


def test_the_snippet_says_whom_to_call_when_nobody_is_recorded():
    html = render_to_string("conduct/_authorised_people.html", {"authorised": []})
    assert ("The trust has not recorded anyone authorised under section 547 for this site: call the Head of School."
            in html)
    assert "<li>" not in html
