"""/people/new/: the duplicate guard (issue 21.2)."""

import logging

from django.urls import reverse

from incidents.models import Person

URL = reverse("incidents:person_new")
DATA = {"full_name": "Craig Hollis", "relationship": "parent", "address": "2 Lane", "phone": "", "email": "",
        "notes": "Came to the gate.", "pupil_names": "", "alias_lines": ""}


def test_a_known_name_is_met_by_the_guard_keeping_what_was_typed(build, client_as):
    craig = build.person(name="Craig Hollis")
    build.incident(person=craig)
    response = client_as("office").post(URL, DATA)
    page = response.content.decode()
    assert response.status_code == 200 and Person.objects.count() == 1
    assert "Already known: Craig Hollis, parent of Sam Parent (Year 3) · 1 incident" in page
    assert "Came to the gate." in page and "2 Lane" in page


def test_use_this_person_goes_to_that_person(build, client_as):
    craig = build.person(name="Craig Hollis")
    response = client_as("office").post(URL, {**DATA, "decision": str(craig.pk), "warned": str(craig.pk)})
    assert response.status_code == 302 and response["Location"] == craig.get_absolute_url()
    assert Person.objects.count() == 1


def test_add_anyway_is_recorded(build, personas, client_as, caplog):
    craig = build.person(name="Craig Hollis")
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        response = client_as("office").post(URL, {**DATA, "decision": "new", "warned": str(craig.pk)})
    new = Person.objects.exclude(pk=craig.pk).get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.history.get().history_change_reason == (
        f"Person added anyway; the duplicate guard showed record {craig.pk}")
    assert f"person_added_despite_match user={personas['office'].pk} target=incidents.Person:{new.pk}" in caplog.text


def test_another_schools_person_is_not_shown(build, other_school, client_as):
    build.person(name="Craig Hollis", school=other_school)
    assert client_as("office").post(URL, DATA).status_code == 302


def test_hostile_answers_are_not_errors(build, client_as):
    craig = build.person(name="Craig Hollis")
    for decision, warned in (("9" * 40, "x,y"), ("\x00", "1," * 5000), ("new", ""), ("-1", str(craig.pk))):
        response = client_as("office").post(URL, {**DATA, "decision": decision, "warned": warned})
        assert response.status_code == 200 and "Already known" in response.content.decode()
    assert Person.objects.count() == 1
