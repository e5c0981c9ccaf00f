"""Subject access gathering: a complaint the person made is theirs (issue 26): what they said, each stage's
outcome and its reasons, with the staff who recorded and decided it redacted as staff; only the schools asked."""

from django.utils import timezone

from incidents.models import Person
from incidents.workflow import Stage
from privacy.gathering import gather, staff_name
from privacy.models import ItemKind, RedactionCategory
from sanctions.complaints import services as complaint_services


def _complaint(build, personas, *, school=None):
    case = build.case(stage=Stage.CLOSED, **({"school": school} if school else {}))
    person = case.subjects()[0]
    head = personas["head"] if school is None else personas["other_head"]
    senior = personas["senior"] if school is None else head
    complaint = complaint_services.complaint_record(
        actor=senior, incident=case, complainant=person, received_on=timezone.localdate(),
        summary="The ban is unfair: I only raised my voice.", decision=case.decisions.last())
    complaint_services.complaint_outcome_record(actor=head, complaint=complaint, outcome="not_upheld",
                                                outcome_on=timezone.localdate(), reasons="The statements agree.")
    return Person.objects.get(pk=person.pk), complaint


def _complaints(person, school_ids):
    return [g for g in gather(person, school_ids) if g.item.kind == ItemKind.COMPLAINT]


def test_the_complaint_is_in_the_pack_with_its_outcome(build, personas):
    person, complaint = _complaint(build, personas)
    [found] = _complaints(person, {build.school.pk})
    fields = dict(found.item.fields)
    assert fields["What the complaint says"] == "The ban is unfair: I only raised my voice."
    assert "Not upheld" in fields["Outcomes"] and "The statements agree." in fields["Outcomes"]
    assert found.item.title == f"Your complaint about the decision in {complaint.incident.reference}"
    # Who recorded it and who decided the stage are staff, redacted like any member of staff.
    assert found.terms[staff_name(personas["senior"])] == RedactionCategory.STAFF
    assert found.terms[staff_name(personas["head"])] == RedactionCategory.STAFF


def test_another_schools_complaint_only_when_that_school_is_asked(build, personas):
    person, _ = _complaint(build, personas, school=build.other_school)
    assert _complaints(person, {build.school.pk}) == []
    assert len(_complaints(person, None)) == 1
