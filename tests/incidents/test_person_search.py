"""/people/search/?q=: the person picker's search (issue 21.1), scoped to the people the user may see."""

import pytest
from django.urls import reverse

from incidents.models import Relationship
from incidents.services import person_create, person_update
from tests.incidents.person_matches import banned_at_one

URL = reverse("incidents:person_search")


def _names(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return [row["name"] for row in response.json()["results"]]


def test_who_may_search_and_what_each_school_finds(db, build, school, other_school, statuses, client_as):
    build.person(name="Craig Hollis")
    build.person(name="Craig Hollister", school=other_school)
    assert statuses(f"{URL}?q=craig") == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }
    for persona in ("office", "senior", "head", "chair"):
        assert _names(client_as(persona).get(URL, {"q": "craig"})) == ["Craig Hollis"]
    # Another school's person never appears in matches.
    for persona in ("other_office", "other_head"):
        assert _names(client_as(persona).get(URL, {"q": "craig"})) == ["Craig Hollister"]
    assert _names(client_as("trust").get(URL, {"q": "craig"})) == ["Craig Hollis", "Craig Hollister"]


def test_found_by_alias_email_and_phone_with_what_tells_them_apart(personas, school, build, client_as):
    person = person_create(actor=personas["office"], school=school, full_name="Jason Reid",
                           relationship=Relationship.PARENT, email="jay@example.com", phone="07700 900123",
                           pupils=[{"name": "Mia Reid", "year_group": "Year 2"}],
                           aliases=[{"name": "Jay Reidy", "note": "Facebook"}])
    build.incident(person=person)
    office = client_as("office")
    for q in ("reidy", "JAY@example.com", "+44 7700 900123", "07700900123", "jason"):
        assert _names(office.get(URL, {"q": q})) == ["Jason Reid"], q
    row = office.get(URL, {"q": "reidy"}).json()["results"][0]
    assert row["id"] == person.pk and row["url"] == person.get_absolute_url()
    assert row["summary"].startswith("parent of Mia Reid (Year 2)")
    assert "also known as Jay Reidy" in row["summary"] and "1 incident, the last on" in row["summary"]
    assert row["banned"] is False


def test_another_schools_alias_finds_nothing(personas, school, other_school, build, client_as):
    # One person known at both schools; school two calls them by a name school one never learns.
    person = build.person(name="Jason Reid")
    build.incident(person=person, school=other_school)
    person_update(actor=personas["other_office"], person=person, expected_version=person.version,
                  school=other_school, add_aliases=[{"name": "Secret Name", "note": ""}])
    assert _names(client_as("other_office").get(URL, {"q": "secret"})) == ["Jason Reid"]
    assert _names(client_as("office").get(URL, {"q": "secret"})) == []
    assert "Secret" not in client_as("office").get(URL, {"q": "jason"}).content.decode()


def test_a_ban_in_force_is_shown(build, personas, school, client_as):
    case, ban = banned_at_one(build, personas, school)
    row = client_as("head").get(URL, {"q": ban.person.full_name}).json()["results"][0]
    assert row["banned"] is True and "ban in force" in row["summary"]


def test_at_most_ten_in_name_order(build, client_as):
    for n in range(12):
        build.person(name=f"Pat Parent {n:02d}")
    assert _names(client_as("office").get(URL, {"q": "parent"})) == [f"Pat Parent {n:02d}" for n in range(10)]


@pytest.mark.parametrize("q", ["", "ab", "x" * 5000, "\x00\x00\x00", '"""', "%%%", "' OR 1=1 --", "NEAR(a b)",
                               "9" * 40, "💥💥💥", "a\x00b c"])
def test_no_input_is_an_error(build, client_as, q):
    build.person(name="Craig Hollis")
    response = client_as("office").get(URL, {"q": q})
    assert response.status_code == 200
    assert len(response.json()["q"]) <= 100


def test_a_list_of_q_and_post_are_handled(client_as, db):
    office = client_as("office")
    assert office.get(f"{URL}?q=abc&q=def").status_code == 200
    assert office.post(URL, {"q": "abc"}).status_code == 405
