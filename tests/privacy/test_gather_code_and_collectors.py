"""Subject access gathering (issue 26): when each school gave the person the code of conduct and whom they named
as collecting their child, in that school's part of the pack only; the collectors' names are third parties."""

from datetime import date

from incidents.models import Person
from incidents.services import code_given_record, collector_add
from privacy.gathering import gather
from privacy.models import RedactionCategory


def _ours(found, school):
    return [g for g in found if g.item.source.endswith(f":coc:{school.pk}")]


def test_each_schools_part_holds_only_its_own(build, personas, school, other_school):
    person = build.person(name="Lee Shared")
    build.incident(school=other_school, person=person)
    code_given_record(actor=personas["office"], person=person, school=school, given_on=date(2025, 9, 3),
                      how="admission_pack", note="starter pack")
    collector_add(actor=personas["office"], person=person, school=school, name="Jean Carter",
                  relationship="grandmother", told_on=date(2025, 9, 10))
    collector_add(actor=personas["other_office"], person=person, school=other_school, name="Kim Minder",
                  relationship="childminder")
    person = Person.objects.get(pk=person.pk)

    ones = gather(person, {school.pk})
    [item] = _ours(ones, school)
    fields = dict(item.item.fields)
    assert fields["The code of conduct given to you"] == "3 Sep 2025, in the admission pack (starter pack)"
    assert fields["People you named as collecting your child"] == (
        "Jean Carter (grandmother): told of the code on 10 Sep 2025")
    assert item.terms["Jean Carter"] == RedactionCategory.THIRD_PARTY
    assert not _ours(ones, other_school)
    assert "Kim Minder" not in str([g.item.fields for g in ones])

    everything = gather(person, None)
    [theirs] = _ours(everything, other_school)
    assert dict(theirs.item.fields) == {
        "People you named as collecting your child": "Kim Minder (childminder): not yet known to have been told"}


def test_nothing_recorded_gathers_nothing(build, school):
    assert not _ours(gather(build.person(), None), school)
