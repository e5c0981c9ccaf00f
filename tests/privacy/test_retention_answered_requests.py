"""An answered subject access request is in the retention schedule: a year after its pack was released
(by default) the request's words, the pauses' reasons and the pack's items are removed, its redactions deleted and the
pack's files deleted; the SHA-256s and the dates stay. An open request, or one answered lately, is kept."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from privacy import retention, services
from privacy.models import (
    AnonymisedRecord,
    Pack,
    PackItem,
    PauseReason,
    RecordType,
    Redaction,
    RequestEvent,
    RequestPause,
    SubjectAccessRequest,
)
from privacy.retention import REMOVED

ASKED = "Emailed Pat at pat@example.org for a copy of her passport."
THIRTEEN_MONTHS = timedelta(days=400)


@pytest.fixture
def answered(family, make_request, dpo, personas, django_capture_on_commit_callbacks):
    """Pat's request, paused for her identity, resumed, gathered with a redaction, and released by the DPO."""
    today = timezone.localdate()
    request = make_request(dpo, received_on=today - timedelta(days=20), notes="Pat rang first; said she is upset.")
    services.request_pause(actor=dpo, request=request, reason=PauseReason.IDENTITY, detail=ASKED,
                           paused_from=today - timedelta(days=19))
    services.request_resume(actor=dpo, request=request, resumed_on=today - timedelta(days=18),
                            note="Passport seen at the office.")
    services.request_gather(actor=dpo, request=request)
    for item in PackItem.objects.filter(request=request, needs_head_decision=True):
        head = personas["head"] if item.school_id == family.school.pk else personas["other_head"]
        services.item_decide(actor=head, item=item, decision="withhold", reason="The child's own account.")
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_release(actor=dpo, request=request)
    return SubjectAccessRequest.objects.get(pk=request.pk), pack


def _released_ago(pack, delta):
    Pack.objects.filter(pk=pack.pk).update(released_at=timezone.now() - delta)


def _due(trust):
    return set(retention.due(trust).querysets[RecordType.ANSWERED_REQUEST].values_list("pk", flat=True))


def test_a_request_answered_lately_or_still_open_is_kept(answered, make_request, dpo, trust):
    request, pack = answered
    _released_ago(pack, timedelta(days=300))
    still_open = make_request(dpo, received_on=timezone.localdate() - timedelta(days=500))
    assert _due(trust) == set()
    retention.apply()
    request.refresh_from_db()
    assert request.requester_name == "Pat Parent" and request.reply_to.startswith("1 Home Street")
    assert SubjectAccessRequest.objects.get(pk=still_open.pk).requester_name == "Pat Parent"


def test_a_year_after_the_answer_the_request_is_anonymised_and_the_pack_files_deleted(
        answered, trust, django_capture_on_commit_callbacks):
    request, pack = answered
    assert Redaction.objects.filter(item__request=request).exists()
    pdf_name, zip_name, pdf_sha = pack.pdf.name, pack.zip.name, pack.pdf_sha256
    assert default_storage.exists(pdf_name) and default_storage.exists(zip_name)
    _released_ago(pack, THIRTEEN_MONTHS)
    assert _due(trust) == {request.pk}
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.apply()
    assert run.counts[RecordType.ANSWERED_REQUEST] == 1
    request.refresh_from_db()
    assert request.requester_name == "Anonymised requester"
    assert (request.reply_to, request.notes) == (REMOVED, REMOVED)
    # What the DPO reports on stays: when it came, when it was due, the days the clock stood still.
    assert request.paused_days == 1 and request.status == "released"
    pause = RequestPause.objects.get(request=request)
    assert (pause.detail, pause.resume_note, pause.reason) == (REMOVED, REMOVED, PauseReason.IDENTITY)
    assert not SubjectAccessRequest.history.filter(notes__contains="upset").exists()
    assert not RequestPause.history.filter(detail__contains="passport").exists()
    items = PackItem.objects.filter(request=request)
    assert items.exists() and all(i.fields == [] and i.title == REMOVED and i.letter_pdf is None for i in items)
    assert not Redaction.objects.filter(item__request=request).exists()
    assert not RequestEvent.objects.filter(request=request).exclude(summary__startswith="Record anonymised").exists()
    assert not RequestEvent.objects.filter(request=request).exclude(note="").exists()
    pack = Pack.objects.get(pk=pack.pk)
    assert (pack.pdf.name, pack.zip.name, pack.manifest, pack.pdf_sha256) == ("", "", [], pdf_sha)
    assert not default_storage.exists(pdf_name) and not default_storage.exists(zip_name)
    assert AnonymisedRecord.objects.get(model="privacy.subjectaccessrequest", object_id=request.pk).detail == (
        f"pack PDF SHA-256 {pdf_sha}")


def test_a_second_run_finds_nothing_and_the_page_says_the_files_went(answered, trust, client_for):
    request, pack = answered
    _released_ago(pack, THIRTEEN_MONTHS)
    retention.apply()
    assert _due(trust) == set()
    assert retention.apply().counts[RecordType.ANSWERED_REQUEST] == 0
    dpo = client_for("dpo")
    page = dpo.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "deleted under the retention schedule" in page and pack.pdf_sha256 in page
    # Who asked is gone; the person asked about is still held (her cases are not past their period).
    assert "Anonymised requester" in page and "1 Home Street" not in page and "/pack.pdf" not in page
    assert dpo.get(f"/privacy/requests/{request.pk}/pack.pdf").status_code == 404
    assert dpo.get(f"/privacy/requests/{request.pk}/pack.zip").status_code == 404


def test_the_trust_may_keep_answered_requests_longer(answered, trust, dpo):
    request, pack = answered
    services.policy_set(actor=dpo, trust=trust, record_type=RecordType.ANSWERED_REQUEST, months=72,
                        reason="Our complaints run long: kept 6 years.")
    _released_ago(pack, THIRTEEN_MONTHS)
    assert _due(trust) == set()


def test_the_review_lists_answered_requests_by_reference(answered, trust):
    request, pack = answered
    _released_ago(pack, THIRTEEN_MONTHS)
    row = next(r for r in retention.review() if r["record_type"] == RecordType.ANSWERED_REQUEST)
    assert (row["due"], row["examples"], row["months"]) == (1, [request.reference], 12)
