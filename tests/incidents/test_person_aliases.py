"""Other names a person goes by (issue 21.3): each school records its own, and search finds a person by the
names the user's schools recorded, never by another school's."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import Person, PersonAlias
from incidents.selectors import search_people
from incidents.services import person_create, person_update


@pytest.fixture
def shared(build):
    person = build.person(name="Craig Hollis")
    build.incident(school=build.other_school, person=person)
    return person


def _edit(client_as, name, person, **data):
    url = reverse("incidents:person_edit", args=[person.pk])
    form = client_as(name).get(url).context["form"]
    fields = {k: v for k, v in form.initial.items() if k in form.fields}
    return client_as(name).post(url, {**fields, "pupil_names": "", "alias_lines": "", **data})


def test_a_person_added_with_other_names_keeps_each_with_its_note(school, personas):
    person = person_create(actor=personas["office"], school=school, full_name="Karen Black", relationship="parent",
                           aliases=[{"name": "Karen White", "note": "maiden name"}, {"name": "@kb_mum", "note": ""}])
    assert {(a.name, a.note, a.school_id) for a in person.aliases.all()} == {
        ("Karen White", "maiden name", school.pk), ("@kb_mum", "", school.pk)}
    assert person.aliases.get(name="Karen White").history.first().history_user == personas["office"]


def test_the_people_page_adds_other_names_from_its_form(client_as, school):
    response = client_as("office").post(reverse("incidents:person_new"), {
        "full_name": "Dana Vale", "relationship": "parent", "alias_lines": "Dana Smith, maiden name\n\n  \n"})
    assert response.status_code == 302
    assert list(PersonAlias.objects.values_list("name", "note")) == [("Dana Smith", "maiden name")]


def test_an_overlong_other_name_is_a_form_error_that_keeps_the_typing(client_as):
    typed = "x" * 201 + ", note"
    response = client_as("office").post(reverse("incidents:person_new"), {
        "full_name": "Dana Vale", "relationship": "parent", "alias_lines": typed})
    assert response.status_code == 200 and "too long" in response.content.decode()
    assert response.context["form"]["alias_lines"].value() == typed
    assert not Person.objects.filter(full_name="Dana Vale").exists()


def test_each_school_adds_and_removes_only_its_own_other_names(shared, client_as):
    assert _edit(client_as, "office", shared, alias_lines="Craig Smith, Facebook").status_code == 302
    assert _edit(client_as, "other_head", shared, alias_lines="CH, nickname").status_code == 302
    assert {(a.school.code, a.name) for a in shared.aliases.all()} == {("one", "Craig Smith"), ("two", "CH")}
    # School Two's form offers only its own name to remove; a forged id of School One's is refused.
    page = client_as("other_head").get(reverse("incidents:person_edit", args=[shared.pk]))
    assert [a.name for a in page.context["form"].fields["remove_aliases"].queryset] == ["CH"]
    theirs = shared.aliases.get(name="Craig Smith")
    assert _edit(client_as, "other_head", shared, remove_aliases=[theirs.pk]).status_code == 200
    assert shared.aliases.filter(pk=theirs.pk).exists()
    ours = shared.aliases.get(name="CH")
    assert _edit(client_as, "other_head", shared, remove_aliases=[ours.pk]).status_code == 302
    assert {a.name for a in shared.aliases.all()} == {"Craig Smith"}


def test_the_service_refuses_removing_another_schools_name(shared, personas, other_school):
    alias = PersonAlias.objects.create(person=shared, school=shared.added_at_school, name="Craig Smith",
                                       added_by=personas["office"])
    with pytest.raises(PermissionDenied):
        person_update(actor=personas["other_head"], person=shared, expected_version=shared.version,
                      school=other_school, remove_aliases=[alias.pk])


def test_the_person_page_shows_only_the_readers_schools_names(shared, client_as):
    _edit(client_as, "office", shared, alias_lines="Craig Smith, Facebook")
    assert "Craig Smith" in client_as("head").get(shared.get_absolute_url()).content.decode()
    assert "Craig Smith" not in client_as("other_head").get(shared.get_absolute_url()).content.decode()


def test_search_finds_a_person_by_their_schools_other_names_only(shared, client_as, personas):
    _edit(client_as, "office", shared, alias_lines="Craig Smithers, Facebook")
    people = Person.objects.all()
    assert list(search_people(people, "smithers", personas["head"])) == [shared]
    assert list(search_people(people, "smithers", personas["other_head"])) == []
    page = client_as("office").get(reverse("incidents:person_list"), {"q": "smithers"}).content.decode()
    assert "Craig Hollis" in page
    page = client_as("other_office").get(reverse("incidents:person_list"), {"q": "smithers"}).content.decode()
    assert "Craig Hollis" not in page


def test_the_incident_search_finds_cases_by_the_readers_schools_other_names(shared, client_as, build):
    _edit(client_as, "office", shared, alias_lines="Craig Smithers, Facebook")
    ours = build.incident(person=shared)
    theirs = shared.incident_links.get(incident__school__code="two").incident
    page = client_as("head").get(reverse("incidents:incident_list"), {"q": "smithers"}).content.decode()
    assert ours.reference in page
    page = client_as("other_head").get(reverse("incidents:incident_list"), {"q": "smithers"}).content.decode()
    assert theirs.reference not in page and ours.reference not in page
