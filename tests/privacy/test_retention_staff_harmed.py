"""Retention (issue 26): anonymising a closed case empties its staff harmed and their support, history too,
and keeps what the reports count (the injury, the days off, the RIDDOR report's date)."""

from django.utils import timezone

from incidents.models import Injury, StaffHarm, StaffSupport
from incidents.services import staff_harm_record, staff_harm_riddor_report, staff_support_record
from incidents.workflow import Stage
from privacy import retention


def test_anonymising_a_case_removes_the_names_of_staff_harmed_and_keeps_the_counts(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    harm = staff_harm_record(actor=personas["office"], incident=incident, name="Jo Teacher",
                             what_happened="Pushed.", injury=Injury.OTHER, days_off=9,
                             staff_account=personas["senior"])
    staff_support_record(actor=personas["senior"], harm=harm, what="Counselling", offered_on=timezone.localdate())
    staff_harm_riddor_report(actor=personas["head"], harm=harm, reported_on=timezone.localdate(),
                             reference="HSE-1", made_by="Head")
    assert retention.anonymise_case(retention.Run(timezone.now()), incident.pk)
    harm = StaffHarm.objects.get()
    assert (harm.name, harm.what_happened, harm.riddor_reference, harm.staff_account) == (
        retention.REMOVED, retention.REMOVED, retention.REMOVED, None)
    assert (harm.injury, harm.days_off, harm.riddor_reported_on) == (Injury.OTHER, 9, timezone.localdate())
    assert set(StaffHarm.history.values_list("name", flat=True)) == {retention.REMOVED}
    assert set(StaffHarm.history.values_list("staff_account", flat=True)) == {None}
    assert set(StaffSupport.history.values_list("what", flat=True)) == {retention.REMOVED}
