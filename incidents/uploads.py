"""Decide what an uploaded file really is from its bytes, not its name.

Only formats a school would plausibly hold as evidence are accepted, and a
file whose content does not match its extension is refused: an HTML page or
an SVG with script renamed to .png must never be stored.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

# The image checks live on the bottom floor, shared with the school's logo.
from conduct.uploads import MARKUP as _MARKUP
from conduct.uploads import is_gif as _is_gif
from conduct.uploads import is_jpeg as _is_jpeg
from conduct.uploads import is_png as _is_png
from conduct.uploads import is_webp as _is_webp
from conduct.uploads import safe_filename


# extension -> (content type, sniff function)
def _is_pdf(head):
    return head.startswith(b"%PDF-")


def _is_mp3(head):
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _is_wav(head):
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def _is_mp4_audio(head):
    return head[4:8] == b"ftyp"


def _is_ogg(head):
    return head.startswith(b"OggS")


def _is_outlook_msg(head):
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


_EMAIL_HEADER = re.compile(rb"^(From|To|Subject|Date|Received|Return-Path|Message-ID|MIME-Version):", re.I | re.M)


def _is_eml(head):
    return bool(_EMAIL_HEADER.search(head[:4096])) and not _MARKUP.search(head)


ALLOWED = {
    ".png": ("image/png", _is_png),
    ".jpg": ("image/jpeg", _is_jpeg),
    ".jpeg": ("image/jpeg", _is_jpeg),
    ".gif": ("image/gif", _is_gif),
    ".webp": ("image/webp", _is_webp),
    ".pdf": ("application/pdf", _is_pdf),
    ".mp3": ("audio/mpeg", _is_mp3),
    ".wav": ("audio/wav", _is_wav),
    ".m4a": ("audio/mp4", _is_mp4_audio),
    ".ogg": ("audio/ogg", _is_ogg),
    ".eml": ("message/rfc822", _is_eml),
    ".msg": ("application/vnd.ms-outlook", _is_outlook_msg),
}
ALLOWED_DESCRIPTION = "images (PNG, JPEG, GIF, WebP), PDF, audio (MP3, WAV, M4A, OGG) or email (EML, MSG)"


def max_upload_bytes() -> int:
    return settings.CONDUCT_MAX_UPLOAD_MB * 1024 * 1024


def check_upload(upload) -> str:
    """Return the content type of an acceptable upload or raise ValidationError."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"“{safe_filename(upload.name)}” is {upload.size / 1024 / 1024:.1f} MB; "
            f"files can be at most {settings.CONDUCT_MAX_UPLOAD_MB} MB.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            f"“{safe_filename(upload.name)}” is not a kind of file Conduct keeps. "
            f"Upload {ALLOWED_DESCRIPTION}.",
            code="type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    content_type, sniff = ALLOWED[extension]
    if not sniff(head) or _MARKUP.search(head[:1024]):
        raise ValidationError(
            f"“{safe_filename(upload.name)}” does not contain what its name says ({extension}). "
            "Save it again in that format and upload it.",
            code="content",
        )
    return content_type
