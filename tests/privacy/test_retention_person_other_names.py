"""Retention: anonymising a person removes the other names they went by and the name and contact details of
a record merged into theirs, in the rows and their history; nothing else still names them."""

from django.utils import timezone

from incidents.models import PersonAlias, PersonMerge
from incidents.services import person_create, person_merge
from privacy import retention
from privacy.retention import REMOVED


def test_aliases_and_merged_records_no_longer_name_the_person(build, school, personas):
    person = person_create(actor=personas["office"], school=school, full_name="Karen Black", relationship="parent",
                           aliases=[{"name": "Karen White", "note": "maiden name"}])
    twin = build.person(name="Karen Black")
    person_merge(actor=personas["head"], survivor=person, duplicate=twin, reason="Karen Black twice: same phone.")
    assert retention.anonymise_person(retention.Run(timezone.now()), person.pk)
    assert list(PersonAlias.objects.values_list("name", "note")) == [(REMOVED, REMOVED)]
    assert not PersonAlias.history.filter(name__contains="Karen").exists()
    merge = PersonMerge.objects.get()
    assert (merge.merged_name, merge.merged_details, merge.reason) == (f"Anonymised person {person.pk}", {}, REMOVED)
    assert merge.merged_person_id == twin.pk  # the record's number stays: the audit trail of the merge
    assert not PersonMerge.history.filter(merged_name__contains="Karen").exists()
    assert not PersonMerge.history.filter(reason__contains="Karen").exists()
