"""/people/new/: adding a parent, carer or visitor."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import Person
from incidents.services import person_create

URL = reverse("incidents:person_new")
DATA = {"full_name": "New Parent", "relationship": "parent", "address": "1 Road", "phone": "0123",
        "email": "new@example.com", "notes": "", "pupil_names": "Sam Smith, Year 4\n\nAlex Smith"}


def test_who_may_open_the_form(db, statuses, personas):
    assert statuses(URL) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def test_who_may_add(db, statuses, personas, monkeypatch):
    # Every persona adds the same name: the duplicate guard (tests/incidents/test_person_duplicate_guard.py)
    # would stop the second at the same school.
    monkeypatch.setattr("incidents.views.duplicate_matches", lambda *args, **kwargs: [])
    result = statuses(URL, "post", DATA)
    assert result == {
        "office": 302, "senior": 302, "head": 302, "chair": 403, "trust": 403,
        "other_office": 302, "other_head": 302, "inactive": 302, "anonymous": 302,
    }
    assert Person.objects.count() == 5


def test_adding_records_pupils_school_and_who(client_as, personas, school):
    response = client_as("office").post(URL, DATA)
    person = Person.objects.get()
    assert response["Location"] == person.get_absolute_url()
    assert [(p.name, p.year_group) for p in person.pupils.all()] == [("Alex Smith", ""), ("Sam Smith", "Year 4")]
    assert (person.added_at_school, person.added_by) == (school, personas["office"])
    assert person.history.get().history_user == personas["office"]


def test_errors_keep_what_was_typed(client_as, personas):
    response = client_as("office").post(URL, {**DATA, "full_name": "", "email": "not-an-email"})
    page = response.content.decode()
    assert "Full name: This field is required." in page
    assert "Enter a valid email address." in page
    assert "Sam Smith, Year 4" in page
    assert not Person.objects.exists()


def test_the_service_refuses_the_trust_chair_and_another_school(personas, school):
    for name in ("trust", "chair", "other_office"):
        with pytest.raises(PermissionDenied):
            person_create(actor=personas[name], school=school, full_name="X", relationship="parent")
    assert not Person.objects.exists()
