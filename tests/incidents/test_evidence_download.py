"""/evidence/<id>/download/: the only way to read an evidence file."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.services import evidence_add
from incidents.workflow import Stage


@pytest.fixture
def evidence(build, personas, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    return evidence_add(actor=personas["office"], incident=incident,
                        upload=SimpleUploadedFile("gate photo.png", png_bytes))


def test_who_may_download(evidence, statuses):
    assert statuses(reverse("incidents:evidence_download", args=[evidence.pk])) == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_download_is_an_attachment_with_the_stored_bytes(evidence, client_as, png_bytes):
    response = client_as("office").get(reverse("incidents:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="gate photo.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes


def test_files_live_outside_static_and_no_url_serves_media(evidence, client_as):
    path = evidence.file.path
    assert str(path).startswith(str(settings.MEDIA_ROOT))
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    assert settings.MEDIA_URL in (None, "", "/")  # nothing maps a URL onto MEDIA_ROOT
    assert client_as("office").get("/media/" + evidence.file.name).status_code == 404
    assert client_as("office").get("/static/" + evidence.file.name).status_code == 404


def test_download_is_logged(evidence, client_as, caplog):
    with caplog.at_level("INFO", logger="conduct.audit"):
        client_as("trust").get(reverse("incidents:evidence_download", args=[evidence.pk]))
    assert any("evidence_download" in r.getMessage() and f"incidents.Evidence:{evidence.pk}" in r.getMessage()
               for r in caplog.records)
