"""The incident and people searches read an index on both databases and match what icontains would."""

import pytest
from django.db import connection

from incidents.models import Incident, Person
from incidents.search import SQLITE_INDEXES, ensure_sqlite_search
from incidents.selectors import search_incidents, search_people


@pytest.fixture
def cases(build):
    stone = build.person(name="Lisa Featherstone")
    grey = build.person(name="Steven Grey")
    first = build.incident(person=stone)
    second = build.incident(person=grey)
    Incident.objects.filter(pk=second.pk).update(description="Swore at the lollipop man by the Zebra crossing.")
    return first, second


@pytest.mark.parametrize(("text", "expected"), [
    ("feather", {0}), ("FEATHERSTONE", {0}), ("grey", {1}), ("zebra", {1}), ("LOLLIPOP MAN", {1}),
    ("shouted", {0}), ("xyzzy", set()), ("ey", {1}),  # two characters: the scanning fallback
    ('"quoted" OR 1', set()),  # the user's text is one phrase, never an FTS query
])
def test_search_matches_names_accounts_and_nothing_else(cases, text, expected):
    found = set(search_incidents(Incident.objects.all(), text))
    assert found == {cases[i] for i in expected}


def test_the_reference_matches_in_any_case(cases):
    assert list(search_incidents(Incident.objects.all(), cases[0].reference.lower())) == [cases[0]]


def test_people_search(cases):
    assert [p.full_name for p in search_people(Person.objects.all(), "stone")] == ["Lisa Featherstone"]


def test_an_edited_account_is_found_by_its_new_words(cases):
    first, _ = cases
    first.description = "Parked across the ambulance bay."
    first.save()
    assert set(search_incidents(Incident.objects.all(), "ambulance")) == {first}
    assert first not in set(search_incidents(Incident.objects.all(), "shouted"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables are SQLite's")
def test_a_rebuilt_table_gets_its_triggers_and_index_back(cases):
    """SQLite's schema editor drops triggers when it rebuilds a table: migrate puts them back."""
    first, _ = cases
    with connection.cursor() as cursor:
        for _table, _column, fts in SQLITE_INDEXES:
            cursor.execute(f"DROP TRIGGER {fts}_ai")
    Incident.objects.filter(pk=first.pk).update(description="Climbed the railings.")
    ensure_sqlite_search()
    later = Person.objects.create(full_name="Nora Newcomer", relationship="parent",
                                  added_at_school=first.school, added_by=first.logged_by)
    assert set(search_incidents(Incident.objects.all(), "railings")) == {first}
    assert list(search_people(Person.objects.all(), "newcomer")) == [later]
