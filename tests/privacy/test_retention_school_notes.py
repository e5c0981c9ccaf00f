"""Retention: anonymising a person empties every school's notes on them, and the notes' history too."""

from django.utils import timezone

from incidents.models import PersonSchoolNote
from incidents.services import person_update
from privacy import retention


def test_anonymising_a_person_empties_each_schools_notes_and_their_history(build, personas):
    person = build.person(name="Lee Shared")
    build.incident(school=build.other_school, person=person)
    person = person_update(actor=personas["office"], person=person, expected_version=person.version,
                           notes="Lee's car is the red one")
    person_update(actor=personas["other_office"], person=person, expected_version=person.version,
                  school=build.other_school, notes="Lee Shared phoned twice")
    assert retention.anonymise_person(retention.Run(timezone.now()), person.pk)
    assert set(PersonSchoolNote.objects.filter(person=person).values_list("notes", flat=True)) == {""}
    assert set(PersonSchoolNote.history.filter(person_id=person.pk).values_list("notes", flat=True)) == {""}
