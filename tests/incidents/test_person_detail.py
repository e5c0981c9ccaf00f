"""/people/<id>/: a person and every incident of theirs the viewer may see."""

from django.urls import reverse


def test_who_may_see_a_person_of_the_first_school(build, statuses):
    person = build.person()
    assert statuses(reverse("incidents:person_detail", args=[person.pk])) == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_the_page_lists_only_incidents_the_viewer_may_see(build, client_as):
    person = build.person(name="Travelling Parent")
    ours = build.incident(person=person)
    theirs = build.incident(school=build.other_school, person=person)
    url = reverse("incidents:person_detail", args=[person.pk])

    def refs(name):
        return {i.reference for i in client_as(name).get(url).context["incidents"]}

    assert refs("office") == {ours.reference}
    assert refs("other_office") == {theirs.reference}
    assert refs("trust") == {ours.reference, theirs.reference}
    page = client_as("other_office").get(url).content.decode()
    assert theirs.reference in page and ours.reference not in page


def test_the_page_shows_details_and_pupils(build, client_as):
    person = build.person(name="Pat Parent")
    page = client_as("office").get(reverse("incidents:person_detail", args=[person.pk])).content.decode()
    assert "Pat Parent" in page and "Sam Parent (Year 3)" in page and "pat@example.com" in page


def test_each_knowing_schools_writers_are_offered_to_edit_their_part(build, client_as):
    person = build.person()
    build.incident(school=build.other_school, person=person)
    url = reverse("incidents:person_detail", args=[person.pk])
    edit = reverse("incidents:person_edit", args=[person.pk])
    ours = client_as("office").get(url).content.decode()
    assert edit in ours and "Edit details" in ours
    theirs = client_as("other_office").get(url).content.decode()
    assert edit in theirs and "Edit details" not in theirs and "notes, pupils and other names" in theirs
    assert edit not in client_as("trust").get(url).content.decode()
    assert edit not in client_as("chair").get(url).content.decode()


def test_a_person_with_many_incidents_shows_the_latest_and_links_to_all(client_as, build, monkeypatch):
    monkeypatch.setattr("incidents.views.PERSON_INCIDENTS_SHOWN", 3)
    person = build.person(name="Rita Repeat")
    made = [build.incident(person=person, days_ago=days) for days in range(1, 6)]
    page = client_as("head").get(person.get_absolute_url())
    shown = [i.reference for i in page.context["incidents"]]
    assert shown == [i.reference for i in made[:3]]  # newest first
    assert page.context["total"] == 5
    listed = client_as("head").get(page.context["all_url"])
    assert {i.reference for i in listed.context["page"]} == {i.reference for i in made}
    assert "Showing the incidents naming" in listed.content.decode()


def test_the_see_all_link_shows_nothing_of_a_person_from_another_school(client_as, build):
    person = build.person(name="Rita Repeat")
    build.incident(person=person)
    listed = client_as("other_head").get(f"/incidents/?person={person.pk}")
    assert listed.context["person_filter"] is None
    assert "Rita Repeat" not in listed.content.decode()
