"""conduct.related_rows: records read as JSON inside their parent's query come back as the same values
the ORM reads on its own (dates, instants, booleans, ids and the nested user)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conduct.related_rows import instances, json_rows
from incidents.models import Evidence, Incident
from incidents.services import evidence_add
from incidents.workflow import Stage
from sanctions.models import Decision, DecisionAction
from sanctions.responses.services import action_complete

ACTION_FIELDS = ("id", "decision_id", "kind", "done", "done_on", "details", "reference")
EVIDENCE_FIELDS = ("id", "incident_id", "original_name", "size", "description", "uploaded_at")


def test_actions_come_back_with_their_dates_and_flags(build, personas):
    case = build.case(stage=Stage.DECIDED)
    actions = list(DecisionAction.objects.filter(decision__incident=case).order_by("pk"))
    assert len(actions) >= 1
    done_on = timezone.localdate() - timedelta(days=3)
    action_complete(actor=personas["senior"], action=actions[0], done_on=done_on, details="Sent by post",
                    reference="PC-123")
    decision = Decision.objects.annotate(rows=json_rows(DecisionAction, "decision", ACTION_FIELDS)).get(incident=case)
    made = instances(DecisionAction, decision.rows, sort_key=lambda a: a.pk)
    read = list(DecisionAction.objects.filter(decision__incident=case).order_by("pk"))
    assert [(a.pk, a.decision_id, a.kind, a.done, a.done_on, a.details, a.reference) for a in made] == [
        (a.pk, a.decision_id, a.kind, a.done, a.done_on, a.details, a.reference) for a in read]
    assert made[0].done is True and made[0].done_on == done_on
    assert made[0].get_kind_display() == read[0].get_kind_display()


def test_evidence_comes_back_with_its_instant_and_uploader(build, personas, png_bytes):
    case = build.case(stage=Stage.GATHERING)
    for name in ("Door.png", "Gate.png"):
        evidence_add(actor=personas["office"], incident=case, upload=SimpleUploadedFile(name, png_bytes),
                     description=f"Camera: {name}")
    row = Incident.objects.annotate(rows=json_rows(Evidence, "incident", EVIDENCE_FIELDS, related={
        "uploaded_by": ("id", "username", "first_name", "last_name")})).get(pk=case.pk)
    made = instances(Evidence, row.rows, sort_key=lambda e: (e.uploaded_at, e.pk))
    read = list(case.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    assert [(e.pk, e.original_name, e.size, e.description, e.uploaded_at) for e in made] == [
        (e.pk, e.original_name, e.size, e.description, e.uploaded_at) for e in read]
    assert all(timezone.is_aware(e.uploaded_at) for e in made)
    assert made[0].uploaded_by.get_full_name() == personas["office"].get_full_name()
    assert made[0].uploaded_by_id == personas["office"].pk


def test_no_related_records_is_an_empty_list(build):
    case = build.case(stage=Stage.GATHERING)
    row = Incident.objects.annotate(rows=json_rows(Evidence, "incident", EVIDENCE_FIELDS)).get(pk=case.pk)
    assert row.rows is None
    assert instances(Evidence, row.rows) == []
