"""Retention (issue 26): anonymising a person replaces the names of those they named as collecting their child
and the notes on when the code was given, in the records and their history; the dates stay."""

from datetime import date

from django.utils import timezone

from incidents.models import CodeOfConductGiven, Collector
from incidents.services import code_given_record, collector_add, collector_update
from privacy import retention


def test_anonymising_a_person_removes_their_collectors_names_everywhere(build, personas, school, other_school):
    person = build.person(name="Lee Shared")
    build.incident(school=other_school, person=person)
    collector = collector_add(actor=personas["office"], person=person, school=school, name="Jean Carter",
                              relationship="grandmother")
    collector_update(actor=personas["office"], collector=collector, name="Jean Carter-Smith",
                     relationship="grandmother", told_on=date(2025, 9, 10))
    collector_add(actor=personas["other_office"], person=person, school=other_school, name="Kim Minder",
                  relationship="childminder")
    code_given_record(actor=personas["office"], person=person, school=school, given_on=date(2025, 9, 3),
                      how="letter", note="handed to Jean Carter")
    assert retention.anonymise_person(retention.Run(timezone.now()), person.pk)
    assert set(Collector.objects.values_list("name", "relationship")) == {("Collector", "")}
    assert set(Collector.history.values_list("name", "relationship")) == {("Collector", "")}
    assert set(Collector.objects.values_list("told_on", flat=True)) == {date(2025, 9, 10), None}
    assert list(CodeOfConductGiven.objects.values_list("note", "given_on")) == [("", date(2025, 9, 3))]
    assert set(CodeOfConductGiven.history.values_list("note", flat=True)) == {""}
