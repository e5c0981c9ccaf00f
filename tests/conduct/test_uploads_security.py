"""Uploads through the real pages: type checked by content, markup refused, size
limited, stored under a random name outside the web root, downloaded only as an
attachment through the permission-checking view."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory, Evidence, Incident
from incidents.workflow import Stage

HTML = b"<!DOCTYPE html><html><body><script>fetch('/incidents/').then(r=>r.text())</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>")
HOSTILE = [
    ("statement.png", HTML),
    ("statement.pdf", HTML),
    ("drawing.png", SVG),
    ("drawing.pdf", SVG),
    ("drawing.jpg", SVG),
    ("drawing.svg", SVG),
    ("page.html", HTML),
    ("page.htm", HTML),
    ("email.eml", b"From: a@example.com\nSubject: hi\n\n<script>alert(1)</script>"),
    # A real-looking header with markup right behind it.
    ("polyglot.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)><script>alert(1)</script>"),
    ("polyglot.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
]


def _evidence_url(incident):
    return reverse("incidents:evidence_add", args=[incident.pk])


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_markup_in_any_disguise_is_refused(build, client_as, name, content):
    incident = build.case(stage=Stage.GATHERING)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client_as("office").post(_evidence_url(incident), {"files": upload, "description": "x"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob(f"*{Path(name).suffix}")), "nothing reaches the disk"


def test_one_bad_file_among_good_ones_stores_none(build, client_as, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    files = [SimpleUploadedFile("good.png", png_bytes), SimpleUploadedFile("bad.png", HTML)]
    response = client_as("office").post(_evidence_url(incident), {"files": files})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_an_oversize_file_is_refused(build, client_as, png_bytes, settings):
    settings.CONDUCT_MAX_UPLOAD_MB = 1
    incident = build.case(stage=Stage.GATHERING)
    big = png_bytes + b"\x00" * (1024 * 1024)
    response = client_as("office").post(_evidence_url(incident), {"files": SimpleUploadedFile("big.png", big)})
    assert response.status_code == 200
    assert "at most 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_hostile_file_while_logging_an_incident_saves_nothing(client_as, build, school):
    person = build.person()
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "school": school.pk, "occurred_at": when, "location": "premises", "description": "Shouted.",
        "categories": [BreachCategory.objects.filter(active=True).first().pk], "subjects": [person.pk],
        "reported_by": "Caretaker", "new-TOTAL_FORMS": "0", "new-INITIAL_FORMS": "0",
        "evidence": SimpleUploadedFile("photo.png", SVG),
    }
    response = client_as("office").post(reverse("incidents:incident_new"), data)
    assert response.status_code == 200
    assert not Incident.objects.exists() and not Evidence.objects.exists()


def test_a_good_file_is_stored_under_a_random_name_outside_the_web_root(build, client_as, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    hostile_name = "../../static/<script>alert(1)<\x07script>\t.png"
    response = client_as("office").post(_evidence_url(incident),
                                        {"files": SimpleUploadedFile(hostile_name, png_bytes)})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = Path(evidence.file.path).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media in stored.parents
    # No URL serves MEDIA_ROOT, and it is not a static folder.
    assert settings.MEDIA_URL is None
    for static_dir in [Path(settings.STATIC_ROOT), *[Path(d[1] if isinstance(d, tuple) else d)
                                                      for d in settings.STATICFILES_DIRS]]:
        assert static_dir.resolve() not in stored.parents
    # The stored name is random: nothing of what the uploader typed reaches the file system.
    assert "script" not in stored.name and ".." not in evidence.file.name
    assert stored.stem.isalnum() and len(stored.stem) == 32 and stored.suffix == ".png"
    # The display name has no path, markup or control characters.
    assert "/" not in evidence.original_name and "<" not in evidence.original_name
    assert not any(ord(ch) < 32 for ch in evidence.original_name)


def test_download_is_an_attachment_through_the_permission_check(build, client_as, png_bytes):
    incident = build.case(stage=Stage.GATHERING)
    client_as("office").post(_evidence_url(incident), {"files": SimpleUploadedFile('a "quoted"; name.png', png_bytes)})
    evidence = Evidence.objects.get()
    url = reverse("incidents:evidence_download", args=[evidence.pk])
    response = client_as("senior").get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"quoted"' not in disposition and ";" not in disposition.split("filename=", 1)[1].strip('"')
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes
    assert client_as("other_head").get(url).status_code == 404
    assert client_as("anonymous").get(url).status_code == 302
