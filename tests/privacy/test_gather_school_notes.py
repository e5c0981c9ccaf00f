"""Subject access gathering: each school's notes and pupil links on a shared person are gathered with that
school's records, and a school's part of a pack holds none of another school's."""

from incidents.models import Person
from incidents.services import person_update
from privacy.gathering import gather


def _text(found):
    return "\n".join(f"{g.item.title} {value}" for g in found for _, value in g.item.fields)


def test_each_schools_part_holds_only_its_own_notes_and_pupils(build, personas):
    person = build.person(name="Lee Shared")  # School One links "Sam Parent"
    build.incident(school=build.other_school, person=person)
    person = person_update(actor=personas["office"], person=person, expected_version=person.version,
                           notes="One's note")
    person_update(actor=personas["other_office"], person=person, expected_version=person.version,
                  school=build.other_school, notes="Two's note", link_pupils=[{"name": "Ava Shared"}])
    person = Person.objects.get(pk=person.pk)

    ones = _text(gather(person, {build.school.pk}))
    assert "One's note" in ones and "Sam Parent" in ones
    assert "Two's note" not in ones and "Ava Shared" not in ones
    twos = _text(gather(person, {build.other_school.pk}))
    assert "Two's note" in twos and "Ava Shared" in twos
    assert "One's note" not in twos and "Sam Parent" not in twos
    everything = _text(gather(person, None))
    assert all(text in everything for text in ("One's note", "Two's note", "Sam Parent", "Ava Shared"))
    assert "School Two's notes about you" in everything


def test_the_notes_earlier_wordings_are_gathered_with_who_wrote_them(build, personas):
    person = build.person(name="Lee Shared")
    for words in ("First wording", "Second wording"):
        person = person_update(actor=personas["office"], person=person, expected_version=person.version,
                               notes=words)
    found = _text(gather(Person.objects.get(pk=person.pk), {build.school.pk}))
    assert "wrote “First wording”" in found and "wrote “Second wording”" in found
