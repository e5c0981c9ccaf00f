"""manage.py conduct_audit: the invariants across every school."""

from io import StringIO

from django.core.management import call_command

from incidents.models import CaseEvent, Incident
from incidents.workflow import Stage
from sanctions.audit import run_audit
from sanctions.models import ChairConsultation, Decision, DecisionOutcome
from sanctions.responses.services import decision_record, proposal_submit


def _audit():
    out, err = StringIO(), StringIO()
    try:
        call_command("conduct_audit", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


class TestOnTheDemo:
    """The demo as seed_demo leaves it (tests/demo_copy.py)."""

    def test_passes_on_the_demo_data(self, demo_data):
        assert Incident.objects.count() >= 50
        assert _audit() == (0, "No problems found.\n", "")


def test_passes_on_every_stage_and_on_revisions_and_rejections(build, personas):
    for stage in Stage.values:
        build.case(stage=stage)
    build.case(stage=Stage.DECIDED, ban=True)
    revised = build.case(stage=Stage.PROPOSED)
    proposal_submit(actor=personas["senior"], incident=revised, actions=["meeting"], rationale="Softer")
    rejected = build.case(stage=Stage.PROPOSED)
    decision_record(actor=personas["head"], incident=rejected, outcome=DecisionOutcome.REJECTED, reasons="No")
    declined = build.case(stage=Stage.AWAITING_CHAIR)
    build.chair_signs(declined, signed_off=False)
    assert run_audit() == []
    assert _audit()[0] == 0


def test_fails_naming_the_case_when_a_ban_decision_without_sign_off_is_forced_in(build):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    build.case(stage=Stage.DECIDED, ban=True)  # a lawful one, not named
    ChairConsultation.objects.filter(incident=incident).update(signed_off=False, reasons_not_signed="Forced")
    code, out, err = _audit()
    assert code != 0
    assert f"{incident.reference}: a ban was decided without the Chair's signed-off consultation" in out
    assert out.count(": a ban was decided") == 1
    assert "problem(s) found" in err


def test_fails_when_the_sign_off_is_dated_after_the_decision(build):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    decision = Decision.objects.get(incident=incident)
    ChairConsultation.objects.filter(pk=decision.consultation_id).update(
        consulted_on=decision.decided_at.date().replace(year=decision.decided_at.year + 1))
    code, out, _ = _audit()
    assert code != 0 and f"{incident.reference}: the Chair's consultation is dated after" in out


def test_fails_when_a_stage_changed_without_a_timeline_event(build):
    incident = build.case(stage=Stage.GATHERING)
    CaseEvent.objects.filter(incident=incident, kind="stage").delete()
    code, out, _ = _audit()
    assert code != 0 and incident.reference in out


def test_fails_when_the_stage_contradicts_the_records(build):
    incident = build.case(stage=Stage.REPORTED)
    Incident.objects.filter(pk=incident.pk).update(stage=Stage.DECIDED)
    problems = dict(run_audit())
    assert incident.reference in problems
    code, out, _ = _audit()
    assert code != 0 and f"{incident.reference}: decided without a decision" in out


def test_a_decision_late_in_the_london_evening_is_not_a_false_alarm(build, settings):
    """The sign-off date is a London date; the decision's date must be read in London time too."""
    import datetime

    incident = build.case(stage=Stage.DECIDED, ban=True)
    decision = Decision.objects.get(incident=incident)
    # 00:30 in London during summer time is 23:30 UTC the day before.
    london = datetime.datetime(2026, 7, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    Decision.objects.filter(pk=decision.pk).update(decided_at=london)
    ChairConsultation.objects.filter(pk=decision.consultation_id).update(consulted_on=datetime.date(2026, 7, 1))
    assert [p for p in run_audit() if p[0] == incident.reference] == []


def test_fails_when_the_chair_said_no_after_the_yes_the_decision_names(build, personas):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    decision = Decision.objects.get(incident=incident)
    yes = decision.consultation
    ChairConsultation.objects.create(
        incident=incident, proposal=decision.proposal, chair=personas["chair"], consulted_on=yes.consulted_on,
        method="phone", chair_view="No", signed_off=False, reasons_not_signed="Withdrawn",
        recorded_at=yes.recorded_at + (decision.decided_at - yes.recorded_at) / 2)
    code, out, _ = _audit()
    assert code != 0 and f"{incident.reference}: the Chair's last word before the ban decision" in out
