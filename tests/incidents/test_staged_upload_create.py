"""incidents.services.staged_upload_create: a file kept for its uploader at one school while the incident form has
an error (issue 25), after the same checks as any upload, within a count and a total size."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.models import StagedUpload


def _photo(png_bytes, name="gate.png"):
    return SimpleUploadedFile(name, png_bytes, content_type="image/png")


def test_office_keeps_a_checked_file_under_a_random_name(personas, school, png_bytes):
    staged = services.staged_upload_create(actor=personas["office"], school=school,
                                           upload=_photo(png_bytes, "<b>gate.png"))
    assert (staged.owner, staged.school, staged.content_type, staged.size) == (personas["office"], school,
                                                                               "image/png", len(png_bytes))
    assert staged.original_name == "_b_gate.png"
    assert staged.file.name.startswith(f"staged/{school.pk}/") and "gate" not in staged.file.name
    assert staged.file.read() == png_bytes


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office"])
def test_only_a_writer_at_that_school_keeps_a_file(personas, school, png_bytes, persona):
    with pytest.raises(PermissionDenied):
        services.staged_upload_create(actor=personas[persona], school=school, upload=_photo(png_bytes))
    assert not StagedUpload.objects.exists()


def test_the_upload_checks_apply(personas, school, settings, png_bytes):
    for upload in (SimpleUploadedFile("page.png", b"<html><script>alert(1)</script></html>"),
                   SimpleUploadedFile("notes.exe", b"MZ" + b"\0" * 10), SimpleUploadedFile("empty.png", b"")):
        with pytest.raises(ValidationError):
            services.staged_upload_create(actor=personas["office"], school=school, upload=upload)
    settings.CONDUCT_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="at most 1 MB"):
        services.staged_upload_create(actor=personas["office"], school=school,
                                      upload=_photo(png_bytes + b"\0" * 1024 * 1024))
    assert not StagedUpload.objects.exists()


def test_a_user_keeps_a_limited_number_and_size(personas, school, png_bytes, monkeypatch, settings):
    monkeypatch.setattr(services, "STAGED_MAX_FILES", 2)
    for name in ("a.png", "b.png"):
        services.staged_upload_create(actor=personas["office"], school=school, upload=_photo(png_bytes, name))
    with pytest.raises(ValidationError) as refused:
        services.staged_upload_create(actor=personas["office"], school=school, upload=_photo(png_bytes, "c.png"))
    assert refused.value.code == "staged_too_many"
    # Another user's allowance is their own.
    services.staged_upload_create(actor=personas["senior"], school=school, upload=_photo(png_bytes))
    monkeypatch.setattr(services, "staged_max_bytes", lambda: 3 * len(png_bytes) - 1)
    with pytest.raises(ValidationError) as refused:
        services.staged_upload_create(actor=personas["senior"], school=school, upload=_photo(png_bytes * 2))
    assert refused.value.code == "staged_too_large"
    assert StagedUpload.objects.count() == 3
