"""What an uploaded image really is, from its bytes rather than its name.

The bottom floor holds the image checks so a school's logo is checked exactly
like evidence: incidents.uploads builds its wider list of evidence formats on
these. An SVG or an HTML page renamed .png is never stored.
"""

import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError


def is_png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def is_jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def is_gif(head: bytes) -> bool:
    return head[:6] in (b"GIF87a", b"GIF89a")


def is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# Markup a browser would run, hidden behind a genuine-looking header (a polyglot).
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|body|!doctype)", re.I)

# extension -> (content type, sniff function)
IMAGES = {
    ".png": ("image/png", is_png),
    ".jpg": ("image/jpeg", is_jpeg),
    ".jpeg": ("image/jpeg", is_jpeg),
    ".gif": ("image/gif", is_gif),
    ".webp": ("image/webp", is_webp),
}
IMAGES_DESCRIPTION = "PNG, JPEG, GIF or WebP"


def safe_filename(name: str) -> str:
    """A display name with no path, control characters or odd punctuation."""
    name = Path(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r"[^\w.\- ()]", "_", name).strip(" .")
    return (name or "file")[:200]


def content_matches(head: bytes, sniff) -> bool:
    return sniff(head) and not MARKUP.search(head[:1024])


def check_image(upload, *, max_bytes: int) -> str:
    """Return the content type of an acceptable image upload or raise ValidationError."""
    shown = safe_filename(upload.name)
    if upload.size > max_bytes:
        raise ValidationError(
            f"“{shown}” is {upload.size / 1024 / 1024:.1f} MB; an image can be at most "
            f"{max_bytes / 1024 / 1024:.0f} MB.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = Path(upload.name).suffix.lower()
    if extension not in IMAGES:
        raise ValidationError(f"“{shown}” is not an image Conduct keeps. Upload {IMAGES_DESCRIPTION}.", code="type")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    content_type, sniff = IMAGES[extension]
    if not content_matches(head, sniff):
        raise ValidationError(
            f"“{shown}” does not contain what its name says ({extension}). Save it again in that format and upload it.",
            code="content",
        )
    return content_type
