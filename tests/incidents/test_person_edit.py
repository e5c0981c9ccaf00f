"""/people/<id>/edit/: editing a person, with a guard against lost updates."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import PersonSchoolNote
from incidents.services import ConflictError, person_update


def _notes(person, school=None):
    note = PersonSchoolNote.objects.filter(person=person, school=school or person.added_at_school).first()
    return note.notes if note else ""


def _data(person, **changes):
    return {"full_name": person.full_name, "relationship": person.relationship, "address": person.address,
            "phone": person.phone, "email": person.email, "notes": _notes(person), "version": person.version,
            **changes}


def test_who_may_open_the_form(build, statuses):
    person = build.person()
    assert statuses(reverse("incidents:person_edit", args=[person.pk])) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_who_may_save(build, client_as):
    person = build.person()
    url = reverse("incidents:person_edit", args=[person.pk])
    result = {}
    for name in ("chair", "trust", "other_office", "other_head", "anonymous", "office"):
        person.refresh_from_db()
        result[name] = client_as(name).post(url, _data(person, notes=f"by {name}")).status_code
    assert result == {"chair": 403, "trust": 403, "other_office": 404, "other_head": 404, "anonymous": 302,
                      "office": 302}
    person.refresh_from_db()
    assert _notes(person) == "by office"


def test_another_school_that_sees_the_person_edits_only_its_own_part(build, client_as):
    person = build.person()
    build.incident(school=build.other_school, person=person)
    response = client_as("other_office").post(reverse("incidents:person_edit", args=[person.pk]),
                                              _data(person, notes="theirs", full_name="Renamed"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Pat Parent" and _notes(person) == ""
    assert _notes(person, build.other_school) == "theirs"


def test_an_edit_on_a_stale_page_is_refused_and_kept_on_screen(build, client_as, personas):
    person = build.person()
    stale = _data(person, phone="0999 STALE")
    person_update(actor=personas["head"], person=person, expected_version=person.version, phone="0111")
    response = client_as("office").post(reverse("incidents:person_edit", args=[person.pk]), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this person" in page
    assert 'value="0999 STALE"' in page
    person.refresh_from_db()
    assert person.phone == "0111"
    with pytest.raises(ConflictError):
        person_update(actor=personas["office"], person=person, expected_version=1, phone="x")


def test_the_service_refuses_other_roles(build, personas):
    person = build.person()
    for name in ("chair", "trust", "other_office"):
        with pytest.raises(PermissionDenied):
            person_update(actor=personas[name], person=person, expected_version=person.version, notes="x")
    history = person.history.order_by("history_date")
    assert [h.history_change_reason for h in history] == ["Person added"]
