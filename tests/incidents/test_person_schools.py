"""PersonSchool: the schools whose staff may see a person, kept by the services and checked by the audit."""

from incidents.models import PersonSchool
from sanctions.audit import run_audit


def test_a_person_is_known_where_added_and_where_named(build, school, other_school, client_as):
    person = build.person(school=other_school)
    assert set(PersonSchool.objects.filter(person=person).values_list("school_id", flat=True)) == {other_school.pk}
    assert person.full_name not in client_as("office").get("/people/").content.decode()
    build.incident(school=school, person=person)
    assert set(PersonSchool.objects.filter(person=person).values_list("school_id", flat=True)) == {
        school.pk, other_school.pk}
    assert person.full_name in client_as("office").get("/people/").content.decode()


def test_the_audit_names_a_missing_pair_and_rebuild_restores_it(build, school):
    person = build.person(name="Nadia Missing")
    build.incident(person=person)
    assert run_audit() == []
    PersonSchool.objects.filter(person=person).delete()
    problems = run_audit()
    assert any("Nadia Missing is missing from the people list" in problem for _ref, problem in problems)
    assert PersonSchool.objects.rebuild() == 1
    assert run_audit() == []
