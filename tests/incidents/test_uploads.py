"""What an evidence file may be: decided by its bytes, within a size limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from incidents.uploads import check_upload, safe_filename

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
EML = b"From: parent@example.com\r\nTo: office@school.example.org\r\nSubject: You will regret it\r\n\r\nBody"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("a.pdf", PDF, "application/pdf"),
    ("a.jpg", JPEG, "image/jpeg"),
    ("a.JPEG", JPEG, "image/jpeg"),
    ("voicemail.mp3", MP3, "audio/mpeg"),
    ("message.eml", EML, "message/rfc822"),
])
def test_real_files_are_accepted_with_the_type_their_bytes_show(name, content, expected):
    assert check_upload(upload(name, content)) == expected


def test_a_real_png_is_accepted(png_bytes):
    # The type comes from the bytes, not from what the browser claimed.
    assert check_upload(upload("photo.png", png_bytes, "text/html")) == "image/png"


@pytest.mark.parametrize(("name", "content"), [
    ("page.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("drawing.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("photo.jpg", b"<html>not a jpeg</html>"),
    ("doc.pdf", b"GIF89a pretending"),
    ("message.eml", b"From: x@example.com\nSubject: hi\n\n<script>alert(1)</script>"),
])
def test_markup_or_mismatched_content_renamed_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content, "image/png"))
    assert error.value.code == "content"


def test_a_png_header_with_markup_behind_it_is_refused(png_bytes):
    polyglot = b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>"
    with pytest.raises(ValidationError):
        check_upload(upload("polyglot.png", polyglot))


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "run.exe", "macro.docm", "noextension"])
def test_other_kinds_of_file_are_refused(name, png_bytes):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, png_bytes))
    assert error.value.code == "type"


@override_settings(CONDUCT_MAX_UPLOAD_MB=1)
def test_oversize_files_are_refused_and_the_limit_is_named(png_bytes):
    just_fits = upload("big.png", png_bytes + b"\x00" * (1024 * 1024 - len(png_bytes)))
    assert check_upload(just_fits) == "image/png"
    too_big = upload("big.png", png_bytes + b"\x00" * (1024 * 1024 - len(png_bytes) + 1))
    with pytest.raises(ValidationError, match="at most 1 MB") as error:
        check_upload(too_big)
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload("empty.pdf", b""))


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd.png", "passwd.png"),
    ("C:\\Users\\me\\photo.png", "photo.png"),
    ("<script>.png", "_script_.png"),
    ("", "file"),
])
def test_display_names_lose_paths_and_markup(name, safe):
    assert safe_filename(name) == safe
