"""Subject access gathering (issue 26): the names of staff harmed, in the case's timeline, are redacted as staff."""

from types import SimpleNamespace

from incidents.models import Injury, Person
from incidents.services import staff_harm_record
from privacy.gathering import gather
from privacy.models import ItemKind, RedactionCategory, RedactionDecision
from privacy.redaction import Redactor


def test_staff_harmed_are_redacted_from_the_case_like_other_staff(build, personas):
    incident = build.case()
    staff_harm_record(actor=personas["office"], incident=incident, name="Jo Teacher", what_happened="Pushed.",
                      injury=Injury.MINOR, days_off=9, staff_account=personas["senior"])
    person = Person.objects.get(pk=incident.subjects()[0].pk)
    [case] = [g for g in gather(person, {build.school.pk}) if g.item.kind == ItemKind.INCIDENT]
    timeline = dict(case.item.fields)["Timeline"]
    assert "Jo Teacher" in timeline
    assert case.terms["Jo Teacher"] == RedactionCategory.STAFF
    assert case.terms["Senior"] == RedactionCategory.STAFF  # their staff account's name
    kept = [SimpleNamespace(term=term, decision=RedactionDecision.KEEP, get_category_display=lambda: "staff")
            for term in case.terms]
    released = Redactor(kept).pack_text(timeline)
    assert "Jo Teacher" not in released and "Teacher" not in released and "[redacted: staff]" in released


def test_another_schools_harms_are_not_gathered_for_this_school(build, personas):
    incident = build.case()
    other = build.case(school=build.other_school, person=incident.subjects()[0])
    staff_harm_record(actor=personas["other_office"], incident=other, name="Al Other", what_happened="Hit.",
                      injury=Injury.NONE)
    person = Person.objects.get(pk=incident.subjects()[0].pk)
    terms = {t for g in gather(person, {build.school.pk}) for t in g.terms}
    assert "Al Other" not in terms
    assert "Al Other" in {t for g in gather(person, None) for t in g.terms}
