"""`manage.py retention_review [--apply]`: records past their period are anonymised, held ones kept,
the reports' counts unchanged, conduct_audit still clean, and a second run changes nothing."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from incidents.models import Evidence, Incident, IncidentPerson, Person, Pupil, Statement
from incidents.workflow import Stage
from privacy import retention, services
from privacy.models import AccessLogEntry, AnonymisedRecord, Hold, RetentionRun
from privacy.retention import REMOVED
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, Decision, DecisionAction, Letter, SiteBan
from sanctions.responses import services as sanction_services

LONG_AGO = timedelta(days=365 * 7)


def _close(case, head):
    for action in DecisionAction.objects.filter(decision__incident=case, done=False):
        sanction_services.action_complete(actor=head, action=action, done_on=timezone.localdate(), details="Done.")
    return sanction_services.case_close(actor=head, incident=case, outcome="Resolved with a warning.")


def _make_old(*cases):
    """Time passing, for the test: the cases closed, their letters issued and their people added 7 years ago."""
    old = timezone.now() - LONG_AGO
    ids = [c.pk for c in cases]
    Incident.objects.filter(pk__in=ids).update(stage_changed_at=old)
    Letter.objects.filter(incident_id__in=ids).update(issued_at=old, drafted_at=old)
    people = IncidentPerson.objects.filter(incident_id__in=ids).values("person_id")
    Person.objects.filter(pk__in=people).update(added_at=old)
    AccessLogEntry.objects.filter(incident_id__in=ids).update(at=old)


@pytest.fixture
def old_world(family, build, personas, client_for):
    """The first school's case closed long ago (with a letter, evidence and views); a closed case on
    hold; a ban that ended long ago; Pat's open case at the second school."""
    head = personas["head"]
    client_for("office").get(family.case.get_absolute_url())
    closed = _close(family.case, head)
    held = build.case(stage=Stage.CLOSED, person=build.person(name="Harry Held"))
    ban_case = build.case(stage=Stage.DECIDED, ban=True, person=build.person(name="Barry Banned"))
    today = timezone.localdate()
    ban = ban_services.ban_create(
        actor=head, incident=ban_case, person=ban_case.subjects()[0], route=BanRoute.PROVISIONAL,
        sites=[family.school], starts_on=today, ends_on=today + timedelta(days=30),
        review_on=today + timedelta(days=10),
        pupil_arrangements="Barry's son is collected by his aunt.", reasons="Barry threatened Mrs Teach.")
    old_day = today - LONG_AGO
    SiteBan.objects.filter(pk=ban.pk).update(status="ended", starts_on=old_day - timedelta(days=30), ends_on=old_day,
                                             review_on=old_day, original_ends_on=old_day)
    _make_old(closed, held, ban_case)
    services.hold_place(actor=personas["head"], incident=held, kind="claim", reason="A claim is expected.",
                        review_on=today + timedelta(days=90))
    return {"closed": closed, "held": held, "ban": ban, "family": family}


def _report_counts():
    """What the reports count: cases by school and stage, categories, decisions' actions, bans, letters."""
    return {
        "cases": sorted(Incident.objects.values_list("school_id", "stage").annotate(n=Count("pk"))),
        "categories": sorted(Incident.categories.through.objects.values_list("breachcategory_id")
                             .annotate(n=Count("pk"))),
        "occurred": sorted(Incident.objects.values_list("occurred_at", flat=True)),
        "decisions": sorted((d.incident_id, tuple(d.actions)) for d in Decision.objects.all()),
        "actions": sorted(DecisionAction.objects.values_list("kind", "done")),
        "bans": sorted(SiteBan.objects.values_list("status", "starts_on", "ends_on")),
        "letters": sorted(Letter.objects.values_list("kind", "status")),
        "people": Person.objects.count(),
    }


def _run(*args):
    out = io.StringIO()
    call_command("retention_review", *args, stdout=out)
    return out.getvalue()


def test_the_listing_changes_nothing(old_world):
    before = Incident.objects.get(pk=old_world["closed"].pk).description
    output = _run()
    assert "Closed case (from the day it closed): kept 72 months (default): 2 past the period, in 1 case" in output
    assert "in 1 case(s) on hold, which are kept" in output
    assert "Nothing changed" in output
    assert Incident.objects.get(pk=old_world["closed"].pk).description == before
    assert not RetentionRun.objects.exists()


def test_apply_anonymises_what_has_passed_its_period(old_world, django_capture_on_commit_callbacks):
    family = old_world["family"]
    closed, ban = old_world["closed"], old_world["ban"]
    evidence_file = family.evidence.file.name
    assert default_storage.exists(evidence_file)
    counts = _report_counts()
    # The files go once the anonymisation commits.
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--apply")
    assert "Anonymised" in output
    case = Incident.objects.get(pk=closed.pk)
    assert case.description == REMOVED and case.reported_by == REMOVED and case.outcome == REMOVED
    assert case.stage == Stage.CLOSED and case.reference == closed.reference
    assert set(Incident.history.filter(id=closed.pk).values_list("description", flat=True)) == {REMOVED}
    assert set(Statement.objects.filter(incident=closed).values_list("text", flat=True)) == {REMOVED}
    assert set(Statement.history.filter(incident_id=closed.pk).values_list("given_by", flat=True)) == {REMOVED}
    assert all(e.summary.startswith("Record anonymised") for e in closed.events.all())
    # The evidence file is gone from storage, and its name from the row and its history.
    evidence = Evidence.objects.get(pk=family.evidence.pk)
    assert not evidence.file and evidence.original_name == "removed"
    assert not default_storage.exists(evidence_file)
    assert set(Evidence.history.filter(id=evidence.pk).values_list("original_name", flat=True)) == {"removed"}
    # The letter: text removed, the PDF a notice; the original SHA-256 is in the log.
    letter = Letter.objects.get(pk=family.letter.pk)
    assert bytes(letter.pdf) != bytes(family.letter.pdf) and letter.sha256 != family.letter.sha256
    assert AnonymisedRecord.objects.get(model="sanctions.letter", object_id=letter.pk).detail.endswith(
        family.letter.sha256)
    # The ended ban.
    ban = SiteBan.objects.get(pk=ban.pk)
    assert ban.pupil_arrangements == REMOVED and ban.reasons == REMOVED
    assert "Barry" not in " ".join(SiteBan.history.filter(id=ban.pk).values_list("reasons", flat=True))
    # People whose every record is anonymised lose their names and contact details; Pat, with an open
    # case at the other school, keeps hers.
    olive = Person.objects.get(pk=family.olive.pk)
    assert olive.full_name == f"Anonymised person {olive.pk}" and olive.address == ""
    assert "Olive" not in " ".join(Person.history.filter(id=olive.pk).values_list("full_name", flat=True))
    assert set(Pupil.history.filter(person_id=olive.pk).values_list("name", flat=True)) == {"Pupil"}
    assert Person.objects.get(pk=family.pat.pk).full_name == "Pat Parent"
    # The access log entries of the old case are gone.
    assert not AccessLogEntry.objects.filter(incident_id=closed.pk).exists()
    assert _report_counts() == counts
    run = RetentionRun.objects.get()
    assert run.counts["closed_case"] == 1 and run.counts["ended_ban"] == 1 and run.skipped_held >= 1


def test_held_records_are_never_touched(old_world):
    held = old_world["held"]
    before = (Incident.objects.get(pk=held.pk).description, list(Incident.history.filter(id=held.pk)
                                                                 .values_list("description", flat=True)))
    _run("--apply")
    after = (Incident.objects.get(pk=held.pk).description, list(Incident.history.filter(id=held.pk)
                                                                .values_list("description", flat=True)))
    assert after == before and REMOVED not in after[0]
    assert Person.objects.filter(full_name="Harry Held").exists()


def test_conduct_audit_still_passes(old_world):
    _run("--apply")
    out = io.StringIO()
    call_command("conduct_audit", stdout=out)
    assert "No problems found." in out.getvalue()


def test_a_second_run_changes_nothing(old_world):
    _run("--apply")

    def snapshot():
        return (list(Incident.objects.order_by("pk").values()), list(Incident.history.order_by("pk").values()),
                list(Person.objects.order_by("pk").values()), list(Letter.objects.order_by("pk").values()),
                list(SiteBan.objects.order_by("pk").values()), AnonymisedRecord.objects.count())

    first = snapshot()
    _run("--apply")
    assert snapshot() == first
    second = RetentionRun.objects.order_by("-pk").first()
    assert not any(second.counts.values())


def test_a_hold_placed_while_apply_runs_wins(old_world, personas, monkeypatch):
    """The run has listed the case; a head holds it before the run reaches it: the case is kept."""
    closed = old_world["closed"]
    listed = retention.expired_ids

    def list_then_hold(queryset):
        ids = listed(queryset)
        if queryset.model is Incident and closed.pk in ids and not Hold.objects.filter(incident=closed).exists():
            services.hold_place(actor=personas["head"], incident=closed, kind="complaint",
                                reason="A complaint arrived this morning.",
                                review_on=timezone.localdate() + timedelta(days=30))
        return ids

    monkeypatch.setattr(retention, "expired_ids", list_then_hold)
    _run("--apply")
    assert Incident.objects.get(pk=closed.pk).description != REMOVED
    assert not AnonymisedRecord.objects.filter(model="incidents.incident", object_id=closed.pk).exists()


def test_an_open_subject_access_request_holds_the_persons_cases(old_world, make_request, dpo):
    make_request(dpo, school=False, person="olive", requester_name="Olive Other")
    _run("--apply")
    assert Incident.objects.get(pk=old_world["closed"].pk).description != REMOVED
    assert Person.objects.get(pk=old_world["family"].olive.pk).full_name == "Olive Other"


def test_another_server_holding_the_lock_stops_this_one(old_world, monkeypatch):
    from contextlib import contextmanager

    @contextmanager
    def taken(name):
        yield False

    monkeypatch.setattr("privacy.management.commands.retention_review.cron_lock", taken)
    assert "Another server" in _run("--apply")
    assert not RetentionRun.objects.exists()


def test_the_trusts_own_period_counts(old_world, dpo):
    services.policy_set(actor=dpo, trust=old_world["family"].school.trust, record_type="closed_case", months=120,
                        reason="The trust keeps cases ten years: a claim by a pupil may come after they turn 18.")
    _run("--apply")
    assert Incident.objects.get(pk=old_world["closed"].pk).description != REMOVED
