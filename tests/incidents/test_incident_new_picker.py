"""The incident form's person pickers (issue 21.1): no list of everyone, a Find that works without JavaScript,
ids checked against the people the user may see, and a constant number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory, Incident, PersonAlias

URL = reverse("incidents:incident_new")


def incident_data(school, **overrides):
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "school": school.pk, "occurred_at": when, "location": "premises", "location_detail": "Main gate",
        "description": "Shouted at the caretaker.",
        "categories": [BreachCategory.objects.get(code="threatening").pk], "reported_by": "The caretaker",
        "new-TOTAL_FORMS": "2", "new-INITIAL_FORMS": "0", "new-MIN_NUM_FORMS": "0", "new-MAX_NUM_FORMS": "5",
        "new-0-full_name": "", "new-1-full_name": "",
    }
    data.update(overrides)
    return data


def test_the_form_lists_nobody_until_asked(build, client_as):
    build.person(name="Craig Hollis")
    page = client_as("office").get(URL).content.decode()
    assert "Craig Hollis" not in page
    assert "Find a known person" in page and 'name="find_subjects"' in page and "js/person-picker.js" in page


def test_find_without_javascript_lists_matches_and_keeps_what_was_typed(build, school, client_as):
    craig, chosen = build.person(name="Craig Hollis"), build.person(name="Wendy Witness")
    data = incident_data(school, description="", location_detail="The car park", subjects_find="holl",
                 find_subjects="1", witnesses=[chosen.pk], **{"new-0-full_name": "Nina New"})
    response = client_as("office").post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200 and not Incident.objects.exists()
    # Matches come back as boxes to tick; the chosen witness stays chosen; nothing typed is lost; no errors.
    assert f'name="subjects" value="{craig.pk}" id="id_subjects_p{craig.pk}">' in page
    assert f'name="witnesses" value="{chosen.pk}" id="id_witnesses_p{chosen.pk}" checked>' in page
    assert "1 found for “holl”" in page
    assert 'value="The car park"' in page and 'value="Nina New"' in page
    assert "There is a problem" not in page and "This field is required" not in page
    # Ticking the match and logging names them both.
    response = client_as("office").post(URL, incident_data(school, subjects=[craig.pk], witnesses=[chosen.pk]))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert set(incident.person_links.values_list("person_id", "involvement")) == {
        (craig.pk, "subject"), (chosen.pk, "witness")}


def test_find_never_shows_another_schools_person(build, other_school, school, client_as):
    build.person(name="Craig Hollister", school=other_school)
    data = incident_data(school, subjects_find="craig", find_subjects="1")
    page = client_as("office").post(URL, data).content.decode()
    assert "Hollister" not in page and "Nobody found for “craig”" in page


def test_a_forged_id_of_another_schools_person_is_refused(build, other_school, school, client_as):
    elsewhere = build.person(name="Craig Hollister", school=other_school)
    for value in (elsewhere.pk, "abc", "9" * 40):
        response = client_as("office").post(URL, incident_data(school, subjects=[value]))
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Incident.objects.exists()
    data = incident_data(school, subjects=[elsewhere.pk], find_subjects="1")
    page = client_as("office").post(URL, data).content.decode()
    assert "Hollister" not in page


def _count(client, method, *args) -> int:
    getattr(client, method)(*args)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(*args)
    assert response.status_code == 200
    return len(queries)


def test_the_form_and_a_search_make_the_same_queries_at_twenty_people_and_at_many(build, personas, school,
                                                                                  client_as):
    office = client_as("office")
    chosen = build.person(name="Chosen Parent")
    build.incident(person=chosen)

    def grow(count):
        for n in range(count):
            person = build.person(name=f"Pat Parent {n:03d}")
            # Another name, so the search by other names grows too.
            PersonAlias.objects.create(person=person, school=school, name=f"Patsy Nickname {n:03d}", note="nickname",
                                       added_by=personas["office"])
            if n % 3 == 0:
                build.incident(person=person)

    def counts():
        data = incident_data(school, subjects_find="parent", find_subjects="1", subjects=[chosen.pk])
        by_alias = incident_data(school, subjects_find="nickname", find_subjects="1")
        search = reverse("incidents:person_search")
        found = office.get(search, {"q": "patsy nickname"}).json()["results"]
        assert found and all(row["name"].startswith("Pat Parent") for row in found)
        return (_count(office, "get", URL), _count(office, "post", URL, data), _count(office, "post", URL, by_alias),
                _count(office, "get", search, {"q": "parent"}), _count(office, "get", search, {"q": "nickname"}))

    grow(20)
    small = counts()
    grow(40)
    assert counts() == small
