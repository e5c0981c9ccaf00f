"""Editing a shared person: each school edits its own notes and pupil links, never another school's, and
only the adding school edits the shared details (issue 19.6, issue 21.6)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import Person, PersonSchoolNote, Pupil
from incidents.services import person_update


@pytest.fixture
def shared(build):
    person = build.person(name="Lee Shared")  # School One links "Sam Parent"
    build.incident(school=build.other_school, person=person)
    return person


def _post(client_as, name, person, **data):
    url = reverse("incidents:person_edit", args=[person.pk])
    page = client_as(name).get(url)
    assert page.status_code == 200
    form = page.context["form"]
    fields = {k: v for k, v in form.initial.items() if k in form.fields}
    return client_as(name).post(url, {**fields, "pupil_names": "", **data})


def _notes(person):
    return {n.school.code: n.notes for n in PersonSchoolNote.objects.filter(person=person)}


def _pupils(person):
    return {(p.school.code, p.name) for p in Pupil.objects.filter(person=person)}


def test_who_may_open_the_form_of_a_shared_person(shared, statuses):
    assert statuses(reverse("incidents:person_edit", args=[shared.pk])) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def test_each_schools_notes_edit_changes_only_its_own_part(shared, client_as):
    assert _post(client_as, "office", shared, notes="One's view").status_code == 302
    assert _post(client_as, "other_head", shared, notes="Two's view").status_code == 302
    assert _notes(shared) == {"one": "One's view", "two": "Two's view"}
    assert _post(client_as, "head", shared, notes="One's second view").status_code == 302
    assert _notes(shared) == {"one": "One's second view", "two": "Two's view"}
    # Each edit is in that school's own history, with who made it.
    two = PersonSchoolNote.objects.get(person=shared, school__code="two")
    assert [(h.notes, h.history_user.username) for h in two.history.order_by("history_date")] == [
        ("Two's view", "other_head")]


def test_the_other_schools_form_shows_neither_the_first_schools_notes_nor_its_pupils(shared, client_as):
    _post(client_as, "office", shared, notes="One's private view")
    page = client_as("other_office").get(reverse("incidents:person_edit", args=[shared.pk])).content.decode()
    assert "One&#x27;s private view" not in page and "Sam Parent" not in page
    assert 'name="full_name"' not in page  # the shared details are the adding school's to edit


def test_the_other_school_cannot_change_the_shared_details(shared, client_as, personas):
    response = _post(client_as, "other_office", shared, full_name="Renamed", notes="x")
    assert response.status_code == 302  # the field is not on its form: ignored
    shared.refresh_from_db()
    assert shared.full_name == "Lee Shared"
    with pytest.raises(PermissionDenied):
        person_update(actor=personas["other_office"], person=shared, expected_version=shared.version,
                      school=shared.added_at_school, notes="theirs")
    with pytest.raises(PermissionDenied):
        person_update(actor=personas["other_office"], person=shared, expected_version=shared.version,
                      school=_other(shared), full_name="Renamed")
    shared.refresh_from_db()
    assert shared.full_name == "Lee Shared" and _notes(shared) == {"two": "x"}


def _other(person):
    from conduct.models import School
    return School.objects.exclude(pk=person.added_at_school_id).get()


def test_pupils_are_linked_and_unlinked_per_school(shared, client_as):
    assert _post(client_as, "other_office", shared, pupil_names="Ava Shared, Year 5\nBen Shared").status_code == 302
    assert _pupils(shared) == {("one", "Sam Parent"), ("two", "Ava Shared"), ("two", "Ben Shared")}
    ben = Pupil.objects.get(person=shared, name="Ben Shared")
    assert _post(client_as, "other_head", shared, unlink_pupils=[ben.pk]).status_code == 302
    assert _pupils(shared) == {("one", "Sam Parent"), ("two", "Ava Shared")}
    assert Pupil.history.filter(id=ben.pk, history_type="-").get().history_user.username == "other_head"


def test_a_school_cannot_unlink_another_schools_pupil(shared, client_as, personas):
    sam = Pupil.objects.get(person=shared, name="Sam Parent")
    _post(client_as, "other_office", shared, pupil_names="Ava Shared")
    response = _post(client_as, "other_office", shared, unlink_pupils=[sam.pk])
    assert response.status_code == 200 and "unlink_pupils" in response.context["form"].errors
    shared.refresh_from_db()
    with pytest.raises(PermissionDenied):
        person_update(actor=personas["other_office"], person=shared, expected_version=shared.version,
                      school=_other(shared), unlink_pupils=[sam.pk])
    assert _pupils(shared) == {("one", "Sam Parent"), ("two", "Ava Shared")}


def test_a_parent_added_from_the_incident_form_can_have_pupils_linked(build, client_as):
    incident = build.incident()
    person = incident.subjects()[0]
    Pupil.objects.filter(person=person).delete()
    assert _post(client_as, "office", person, pupil_names="Zoe Later, Year 1").status_code == 302
    assert _pupils(Person.objects.get(pk=person.pk)) == {("one", "Zoe Later")}
