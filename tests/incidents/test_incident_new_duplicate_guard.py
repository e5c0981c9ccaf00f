"""The duplicate guard on the incident form's "Someone new" blocks (issue 21.2's done-when)."""

import logging

from django.urls import reverse

from incidents.models import Incident, Person
from tests.incidents.test_incident_new_picker import incident_data

URL = reverse("incidents:incident_new")


def _typed(school, name="Craig Hollis", **extra):
    return incident_data(school, location_detail="The car park", **{
        "new-0-full_name": name, "new-0-relationship": "parent", "new-0-involvement": "subject",
        "new-0-email": "", "new-0-phone": "", "new-0-address": "", **extra})


def test_typing_an_existing_name_is_met_by_the_guard_and_use_this_person_logs_against_it(build, school,
                                                                                         client_as):
    craig = build.person(name="Craig Hollis")
    build.incident(person=craig)
    build.incident(person=craig)
    office = client_as("office")
    response = office.post(URL, _typed(school, name="Mr Craig  Hollis"))
    page = response.content.decode()
    assert response.status_code == 200 and not Incident.objects.filter(location_detail="The car park").exists()
    assert "Already known: Craig Hollis, parent of Sam Parent (Year 3) · 2 incidents" in page
    assert "use this person?" in page and "Add as a new person anyway" in page
    assert 'value="Mr Craig  Hollis"' in page and 'value="The car park"' in page
    people = Person.objects.count()
    response = office.post(URL, _typed(school, name="Mr Craig  Hollis", **{
        "new-0-decision": str(craig.pk), "new-0-warned": str(craig.pk)}))
    incident = Incident.objects.get(location_detail="The car park")
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert Person.objects.count() == people
    assert list(incident.person_links.values_list("person_id", "involvement")) == [(craig.pk, "subject")]


def test_add_anyway_is_allowed_and_recorded(build, school, client_as, caplog):
    craig = build.person(name="Craig Hollis")
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        response = client_as("office").post(URL, _typed(school, **{"new-0-decision": "new",
                                                                     "new-0-warned": str(craig.pk)}))
    assert response.status_code == 302
    new = Person.objects.exclude(pk=craig.pk).get(full_name="Craig Hollis")
    assert str(craig.pk) in new.history.get().history_change_reason
    assert f"person_added_despite_match user={build.p['office'].pk} target=incidents.Person:{new.pk}" in caplog.text
    assert f"warned_about={craig.pk}" in caplog.text


def test_add_anyway_counts_only_for_the_records_shown(build, school, client_as):
    craig = build.person(name="Craig Hollis")
    # "new" without having been shown this record (a forged or stale answer) shows the guard again.
    response = client_as("office").post(URL, _typed(school, **{"new-0-decision": "new", "new-0-warned": "999"}))
    assert response.status_code == 200 and "Already known" in response.content.decode()
    # Nor can "use this person" name someone the guard did not offer.
    other = build.person(name="Other Person")
    response = client_as("office").post(URL, _typed(school, **{"new-0-decision": str(other.pk)}))
    assert response.status_code == 200 and not Incident.objects.exists()
    assert Person.objects.filter(full_name="Craig Hollis").get() == craig


def test_the_guard_looks_only_at_the_logging_school(build, school, other_school, client_as):
    build.person(name="Craig Hollis", school=other_school)
    response = client_as("office").post(URL, _typed(school))
    assert response.status_code == 302
    assert Person.objects.filter(full_name="Craig Hollis").count() == 2


def test_same_email_or_phone_is_met_by_the_guard(build, school, client_as):
    build.person(name="Pat Parent")  # pat@example.com
    response = client_as("office").post(URL, _typed(school, name="Patricia Unrelated",
                                                    **{"new-0-email": "PAT@example.com"}))
    page = response.content.decode()
    assert response.status_code == 200 and "Already known: Pat Parent" in page and "contact details" in page
