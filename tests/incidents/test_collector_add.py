"""/people/<id>/collectors/new/ (issue 26): someone a person named as collecting their child, as one school
records it. Policy section 2 asks parents to make everyone who collects their children aware of the code."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import Collector
from incidents.services import MAX_COLLECTORS, collector_add


def _url(person, school=None):
    url = reverse("incidents:collector_new", args=[person.pk])
    return f"{url}?school={school.pk}" if school else url


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.person())) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_a_collector_is_added_with_when_they_were_told(build, client_as, school):
    person = build.person()
    response = client_as("office").post(_url(person), {"name": " Jean Parent ", "relationship": "grandmother",
                                                       "told_on": "2025-09-10"})
    assert response.status_code == 302
    collector = Collector.objects.get()
    assert (collector.name, collector.relationship, collector.told_on, collector.school) == (
        "Jean Parent", "grandmother", date(2025, 9, 10), school)
    assert collector.history.get().history_user.username == "office"


def test_told_on_may_wait(build, client_as):
    assert client_as("head").post(_url(build.person()), {"name": "Jean", "relationship": "aunt"}).status_code == 302
    assert Collector.objects.get().told_on is None


@pytest.mark.parametrize("data", [
    {"name": "", "relationship": "aunt"}, {"name": "x" * 201, "relationship": "aunt"},
    {"name": "Jean", "relationship": "y" * 101}, {"name": "Jean", "relationship": "aunt", "told_on": "9999-01-01"},
    {"name": "Jean", "relationship": "aunt", "told_on": "2025-02-30"},
])
def test_bad_values_are_form_errors(build, client_as, data):
    assert client_as("office").post(_url(build.person()), data).status_code == 200
    assert not Collector.objects.exists()


def test_told_in_the_future_is_refused(build, client_as):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as("office").post(_url(build.person()), {"name": "Jean", "relationship": "aunt",
                                                               "told_on": tomorrow})
    assert response.status_code == 200 and "in the future" in response.content.decode()


def test_a_school_names_at_most_so_many(build, personas, school, client_as):
    person = build.person()
    for n in range(MAX_COLLECTORS):
        collector_add(actor=personas["office"], person=person, school=school, name=f"C {n}", relationship="friend")
    response = client_as("office").post(_url(person), {"name": "One more", "relationship": "friend"})
    assert response.status_code == 200 and "remove one" in response.content.decode()
    assert Collector.objects.count() == MAX_COLLECTORS


def test_the_limit_is_per_school(build, personas, school, other_school, client_as):
    person = build.person()
    build.incident(school=other_school, person=person)
    for n in range(MAX_COLLECTORS):
        collector_add(actor=personas["office"], person=person, school=school, name=f"C {n}", relationship="friend")
    assert client_as("other_office").post(_url(person), {"name": "Theirs", "relationship": "aunt"}).status_code == 302


def test_readers_and_strangers_cannot_add(build, personas, school, other_school):
    person = build.person()
    for name, where in (("chair", school), ("trust", school), ("other_head", other_school)):
        with pytest.raises(PermissionDenied):
            collector_add(actor=personas[name], person=person, school=where, name="Jean", relationship="aunt")
    assert not Collector.objects.exists()


def test_the_database_wants_a_name(build, personas, school):
    with pytest.raises(ValidationError):
        collector_add(actor=personas["office"], person=build.person(), school=school, name="  ", relationship="aunt")
