"""/people/: the people a user may see, searchable."""

from django.urls import reverse

URL = reverse("incidents:person_list")


def test_who_may_open_it(db, statuses, personas):
    assert statuses(URL) == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def _names(response):
    return [p.full_name for p in response.context["page"]]


def test_scoped_to_the_users_schools(build, client_as):
    build.person(name="Ours Only")
    build.person(school=build.other_school, name="Theirs Only")
    assert _names(client_as("office").get(URL)) == ["Ours Only"]
    assert _names(client_as("other_office").get(URL)) == ["Theirs Only"]
    assert _names(client_as("trust").get(URL)) == ["Ours Only", "Theirs Only"]


def test_a_person_added_elsewhere_appears_once_linked_to_an_incident_here(build, client_as):
    theirs = build.person(school=build.other_school, name="Shared Parent")
    assert _names(client_as("office").get(URL)) == []
    build.incident(person=theirs)
    build.incident(person=theirs)
    assert _names(client_as("office").get(URL)) == ["Shared Parent"]  # once, not once per incident


def test_search_by_name(build, client_as):
    build.person(name="Mark Brown")
    build.person(name="Sarah Green")
    assert _names(client_as("office").get(URL, {"q": "brow"})) == ["Mark Brown"]


def test_only_writers_are_offered_to_add(db, client_as, personas):
    add = reverse("incidents:person_new")
    assert add in client_as("office").get(URL).content.decode()
    assert add not in client_as("trust").get(URL).content.decode()
    assert add not in client_as("chair").get(URL).content.decode()
