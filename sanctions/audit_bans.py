"""Audit checks for letters and bans, appended to `sanctions.audit.CHECKS`.

Each yields (case reference, problem) like the checks beside it.
"""

import hashlib

from sanctions.models import Letter, LetterKind, LetterStatus, SiteBan
from sanctions.selectors_bans import bans_in_force

FROZEN = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)


def check_issued_letters_unchanged():
    """The stored bytes of every issued letter still hash to the SHA-256 taken when it was issued."""
    for letter in Letter.objects.filter(status__in=FROZEN).select_related("incident").iterator(chunk_size=200):
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


def check_bans_in_force_have_letters():
    """A ban in force was put in writing: a provisional ban or confirmation letter was issued."""
    # One query for the bans that have such a letter, rather than one per ban.
    in_writing = set(
        Letter.objects.filter(
            ban__in=bans_in_force(), status__in=FROZEN,
            kind__in=[LetterKind.PROVISIONAL_BAN, LetterKind.BAN_CONFIRMATION],
        ).values_list("ban_id", flat=True)
    )
    for ban in bans_in_force().select_related("incident", "person").iterator(chunk_size=2000):
        if ban.pk not in in_writing:
            yield ban.incident.reference, (
                f"the ban on {ban.person.full_name} is in force but no provisional ban or confirmation letter "
                "has been issued"
            )


def check_bans_signed_off():
    """Every ban row, however it was written, rests on the Chair's sign-off on its own case."""
    for ban in SiteBan.objects.select_related("incident", "consultation", "person").iterator(chunk_size=2000):
        consultation = ban.consultation
        if not consultation.signed_off or consultation.incident_id != ban.incident_id:
            yield ban.incident.reference, f"the ban on {ban.person.full_name} has no signed-off Chair's consultation"


BAN_CHECKS = [check_issued_letters_unchanged, check_bans_in_force_have_letters, check_bans_signed_off]
