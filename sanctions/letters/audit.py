"""The letters' invariants, registered with `manage.py conduct_audit` (sanctions.audit).

Each yields (case reference, problem) like every check.
"""

import hashlib

from sanctions.models import Letter, LetterFormat, LetterStatus

# An issued letter's bytes never change; a superseded one keeps the bytes that were sent.
ISSUED_STATUSES = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)


def check_issued_letters_unchanged():
    """The stored bytes of every issued letter still hash to the SHA-256 taken when it was issued."""
    for letter in Letter.objects.filter(status__in=ISSUED_STATUSES).select_related("incident").iterator(chunk_size=200):
        data = bytes(letter.pdf) if letter.pdf is not None else b""
        if not data:
            yield letter.incident.reference, (
                f"issued letter {letter.pk} ({letter.get_kind_display()}) has no PDF stored"
            )
        elif hashlib.sha256(data).hexdigest() != letter.sha256:
            yield letter.incident.reference, (
                f"issued letter {letter.pk} ({letter.get_kind_display()}) no longer matches its SHA-256: "
                "the stored PDF has been changed"
            )


def check_letter_formats_unchanged():
    """Every accessible copy's stored bytes still hash to the SHA-256 taken when it was made."""
    for copy in LetterFormat.objects.select_related("letter__incident").iterator(chunk_size=200):
        if hashlib.sha256(bytes(copy.pdf or b"")).hexdigest() != copy.sha256:
            yield copy.letter.incident.reference, (
                f"the {copy.get_kind_display().lower()} copy of letter {copy.letter_id} no longer matches its SHA-256"
            )


CHECKS = [check_issued_letters_unchanged, check_letter_formats_unchanged]
