"""/people/<id>/ and /people/: a shared person's notes and pupil links are each school's own (issue 19.6).

Set up through the pages, as staff would: School One adds the parent with its notes and pupil, School Two
names them in a case and records its own notes and pupil."""

import pytest
from django.urls import reverse

ONE_NOTE, TWO_NOTE = "Ask for the deputy at drop-off", "Uses the side gate on Fridays"
ONE_PUPIL, TWO_PUPIL = "Kai Shared", "Ava Shared"


@pytest.fixture
def shared(build, client_as):
    client_as("office").post(reverse("incidents:person_new"), {
        "full_name": "Lee Shared", "relationship": "parent", "address": "", "phone": "", "email": "",
        "notes": ONE_NOTE, "pupil_names": f"{ONE_PUPIL}, Year 2"})
    from incidents.models import Person
    person = Person.objects.get(full_name="Lee Shared")
    build.incident(school=build.other_school, person=person)
    edit = reverse("incidents:person_edit", args=[person.pk])
    page = client_as("other_office").get(edit)
    assert page.status_code == 200
    response = client_as("other_office").post(edit, {"version": page.context["form"].initial["version"],
                                                     "notes": TWO_NOTE, "pupil_names": f"{TWO_PUPIL}, Year 5"})
    assert response.status_code == 302
    return person


def _page(client_as, name, url):
    response = client_as(name).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_school_sees_only_its_own_notes_and_pupils_on_the_person_page(shared, client_as):
    url = reverse("incidents:person_detail", args=[shared.pk])
    for name in ("office", "head", "chair"):
        page = _page(client_as, name, url)
        assert ONE_NOTE in page and ONE_PUPIL in page
        assert TWO_NOTE not in page and TWO_PUPIL not in page
    for name in ("other_office", "other_head"):
        page = _page(client_as, name, url)
        assert TWO_NOTE in page and TWO_PUPIL in page
        assert ONE_NOTE not in page and ONE_PUPIL not in page


def test_trust_oversight_sees_every_schools_part_named_by_school(shared, client_as):
    page = _page(client_as, "trust", reverse("incidents:person_detail", args=[shared.pk]))
    assert all(text in page for text in (ONE_NOTE, TWO_NOTE, ONE_PUPIL, TWO_PUPIL))
    assert "School One's notes" in page and "School Two's notes" in page


def test_the_people_list_and_its_search_show_only_the_schools_own_pupils(shared, client_as):
    url = reverse("incidents:person_list")
    for query in ({}, {"q": "Shared"}):
        theirs = client_as("other_head").get(url, query).content.decode()
        assert "Lee Shared" in theirs and TWO_PUPIL in theirs
        assert ONE_PUPIL not in theirs and ONE_NOTE not in theirs
        ours = client_as("office").get(url, query).content.decode()
        assert ONE_PUPIL in ours and TWO_PUPIL not in ours and TWO_NOTE not in ours


def test_searching_by_another_schools_pupil_or_note_finds_nothing(shared, client_as):
    url = reverse("incidents:person_list")
    assert "Lee Shared" not in client_as("other_head").get(url, {"q": ONE_PUPIL}).content.decode()
    assert "Lee Shared" not in client_as("other_head").get(url, {"q": "deputy"}).content.decode()


def test_st_marys_head_sees_none_of_all_saints_notes_or_pupils(build, client_as):
    """The issue as reported: one parent, a case at each school."""
    client_as("office").post(reverse("incidents:person_new"), {
        "full_name": "Lee Shared", "relationship": "parent", "address": "", "phone": "", "email": "",
        "notes": ONE_NOTE, "pupil_names": f"{ONE_PUPIL}, Year 2"})
    from incidents.models import Person
    person = Person.objects.get(full_name="Lee Shared")
    build.incident(person=person)
    build.incident(school=build.other_school, person=person)
    for url in (reverse("incidents:person_detail", args=[person.pk]), reverse("incidents:person_list")):
        page = _page(client_as, "other_head", url)
        assert "Lee Shared" in page
        assert ONE_NOTE not in page and ONE_PUPIL not in page
