"""/incidents/<id>/evidence/new/ and the evidence_add service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from incidents.models import CaseEvent, Evidence
from incidents.services import evidence_add
from incidents.workflow import Stage

EXPECTED = {
    "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("incidents:evidence_add", args=[incident.pk])


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.case(stage=Stage.GATHERING))) == EXPECTED


def test_who_may_upload(build, client_as, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    result = {}
    for name in EXPECTED:
        data = {"files": SimpleUploadedFile(f"{name}.png", png_bytes), "description": "Screenshot"}
        result[name] = client_as(name).post(_url(incident), data).status_code
    assert result == {**EXPECTED, "office": 302, "senior": 302, "head": 302}
    assert sorted(incident.evidence.values_list("original_name", flat=True)) == ["head.png", "office.png",
                                                                                 "senior.png"]


def test_upload_records_hash_size_uploader_and_a_timeline_line(build, personas, png_bytes):
    import hashlib

    incident = build.case(stage=Stage.GATHERING)
    evidence = evidence_add(actor=personas["office"], incident=incident,
                            upload=SimpleUploadedFile("Screen shot.png", png_bytes), description="Post")
    assert evidence.sha256 == hashlib.sha256(png_bytes).hexdigest()
    assert (evidence.size, evidence.uploaded_by, evidence.content_type) == (len(png_bytes), personas["office"],
                                                                            "image/png")
    # Stored under a random name, never the uploader's.
    assert "Screen" not in evidence.file.name and evidence.file.name.endswith(".png")
    assert CaseEvent.objects.filter(incident=incident, kind="evidence",
                                    summary="Evidence added: Screen shot.png").exists()


def test_the_form_shows_why_a_file_was_refused(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("office").post(_url(incident), {
        "files": SimpleUploadedFile("page.png", b"<html><script>alert(1)</script></html>"),
        "description": "Typed description"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not contain what its name says (.png)" in page
    assert 'value="Typed description"' in page
    assert not Evidence.objects.exists()


@override_settings(CONDUCT_MAX_UPLOAD_MB=1)
def test_an_oversize_file_is_refused_through_the_page(build, client_as, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    big = SimpleUploadedFile("big.png", png_bytes + b"\x00" * (1024 * 1024))
    response = client_as("office").post(_url(incident), {"files": big})
    assert "files can be at most 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_service_refuses_other_roles_and_closed_cases(build, personas, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    for name in ("chair", "trust", "other_office"):
        with pytest.raises(PermissionDenied):
            evidence_add(actor=personas[name], incident=incident, upload=SimpleUploadedFile("a.png", png_bytes))
    closed = build.case(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        evidence_add(actor=personas["head"], incident=closed, upload=SimpleUploadedFile("a.png", png_bytes))
    assert not Evidence.objects.exists()
