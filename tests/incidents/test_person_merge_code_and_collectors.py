"""Merging two records of one person (issue 21.4) carries the code of conduct given and the collectors named
(issue 26) to the record that stays, each still its school's, with the merge in their history."""

from datetime import date

from incidents.models import CodeOfConductGiven, Collector
from incidents.services import code_given_record, collector_add, person_merge


def test_the_duplicates_code_given_and_collectors_follow_the_survivor(build, personas, school):
    survivor, duplicate = build.person(name="Dean Shaw"), build.person(name="Dean Shawe")
    code_given_record(actor=personas["office"], person=duplicate, school=school, given_on=date(2025, 9, 3),
                      how="letter")
    collector = collector_add(actor=personas["office"], person=duplicate, school=school, name="Maureen Shaw",
                              relationship="grandmother")
    person_merge(actor=personas["head"], survivor=survivor, duplicate=duplicate, reason="The same man.")
    assert list(CodeOfConductGiven.objects.values_list("person_id", "school_id")) == [(survivor.pk, school.pk)]
    assert list(Collector.objects.values_list("person_id", "school_id")) == [(survivor.pk, school.pk)]
    moved = Collector.history.filter(id=collector.pk).latest("history_date")
    assert moved.history_change_reason.startswith("Person records merged") and moved.history_user == personas["head"]
