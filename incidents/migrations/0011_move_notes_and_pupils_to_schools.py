"""Each school's notes and pupil links on a shared person become that school's own.

Until now a person's notes and pupils were one shared record that every school knowing the person read.
Only staff of the school that added the person could write either (person_create at that school,
person_update checked added_at_school), so both belong to that school alone: they move to
added_at_school and to no other school. Copying them to every school that knows the person would have
kept the very leak this fixes.

The notes' history moves with them: every version of Person.notes becomes a version of the school's
PersonSchoolNote, with its date and author, before the next migration drops the shared column.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def _added_at(Person):
    return Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("added_at_school_id")[:1])


def move_pupils(apps, schema_editor):
    Person = apps.get_model("incidents", "Person")
    apps.get_model("incidents", "Pupil").objects.filter(school__isnull=True).update(school_id=_added_at(Person))
    apps.get_model("incidents", "HistoricalPupil").objects.filter(school__isnull=True).update(
        school_id=_added_at(Person))


def _note_versions(records):
    """The historical rows at which a person's notes changed, oldest first (the first non-empty one too)."""
    previous = ""
    for record in records:
        if record.notes != previous:
            yield record
            previous = record.notes


def move_notes(apps, schema_editor):
    Person = apps.get_model("incidents", "Person")
    HistoricalPerson = apps.get_model("incidents", "HistoricalPerson")
    Note = apps.get_model("incidents", "PersonSchoolNote")
    HistoricalNote = apps.get_model("incidents", "HistoricalPersonSchoolNote")
    with_notes = Person.objects.exclude(notes="").values_list("pk", flat=True)
    had_notes = HistoricalPerson.objects.exclude(notes="").values_list("id", flat=True).distinct()
    person_ids = sorted(set(with_notes) | set(had_notes))
    for start in range(0, len(person_ids), BATCH):
        batch = person_ids[start:start + BATCH]
        people = {p.pk: p for p in Person.objects.filter(pk__in=batch)}
        notes = Note.objects.bulk_create(
            [Note(person_id=pk, school_id=p.added_at_school_id, notes=p.notes) for pk, p in people.items()])
        note_ids = {n.person_id: n.pk for n in Note.objects.filter(person_id__in=list(people))}
        history = {}
        for record in HistoricalPerson.objects.filter(id__in=batch).order_by("id", "history_date", "history_id"):
            history.setdefault(record.id, []).append(record)
        rows = []
        for pk, person in people.items():
            rows += _historical_notes(HistoricalNote, note_ids[pk], person, history.get(pk, []))
        HistoricalNote.objects.bulk_create(rows)
        del notes


def _historical_notes(HistoricalNote, note_id, person, records):
    rows = []
    for i, record in enumerate(_note_versions(records)):
        rows.append(HistoricalNote(
            id=note_id, person_id=person.pk, school_id=person.added_at_school_id, notes=record.notes,
            history_date=record.history_date, history_user_id=record.history_user_id,
            history_type="+" if i == 0 else "~",
            history_change_reason=record.history_change_reason or "Person edited"))
    if not rows or rows[-1].notes != person.notes:
        # A person whose history was never written (bulk loads): the current notes are the one version.
        rows.append(HistoricalNote(
            id=note_id, person_id=person.pk, school_id=person.added_at_school_id, notes=person.notes,
            history_date=person.added_at, history_user_id=person.added_by_id, history_type="+" if not rows else "~",
            history_change_reason="Notes kept as the adding school's own"))
    return rows


def move_notes_back(apps, schema_editor):
    """Reversing puts the adding school's notes back on the person; other schools' notes had no place there."""
    Person = apps.get_model("incidents", "Person")
    Note = apps.get_model("incidents", "PersonSchoolNote")
    for note in Note.objects.exclude(notes="").select_related("person"):
        if note.school_id == note.person.added_at_school_id:
            Person.objects.filter(pk=note.person_id).update(notes=note.notes)


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0010_person_school_notes"),
    ]

    operations = [
        migrations.RunPython(move_pupils, migrations.RunPython.noop),
        migrations.RunPython(move_notes, move_notes_back),
    ]
