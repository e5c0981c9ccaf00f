"""Issued letters in accessible formats (large print), rendered from the same frozen wording.

A parent who needs it gets the letter again in large print (Equality Act 2010, the duty to make reasonable
adjustments). The copy is rendered from the HTML the issued PDF was rendered from, so its words are the
letter's; it has its own bytes and its own SHA-256, kept beside the original, which never changes.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.history import save_with_history
from conduct.permissions import has_role, require_school_role
from conduct.roles import STAFF_WRITERS
from incidents.services import event_record
from sanctions.letters import rendering as renderer
from sanctions.models import Letter, LetterFormat, LetterFormatKind, LetterStatus

# Office, senior leaders and the head: whoever sends the school's letters may send one again in large print.
FORMAT_MAKERS = STAFF_WRITERS
SENT = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)
# What the case timeline calls each copy.
COPY_NAMES = {LetterFormatKind.LARGE_PRINT: "Large-print copy"}


def frozen_html(letter) -> str:
    """The HTML the issued PDF was rendered from."""
    if letter.html:
        return letter.html
    # Letters issued before the HTML was kept with the PDF have none. Rendering the letter again, dated the
    # day it was issued, is the best reconstruction there is: its words differ from what was sent only where
    # the letter templates, the school's details or the case's records have changed since.
    return renderer.letter_html(letter, for_pdf=True, dated=timezone.localtime(letter.issued_at).date())


def _render(kind, html) -> bytes:
    if kind == LetterFormatKind.LARGE_PRINT:
        return renderer.large_print_pdf(html)
    raise ValidationError("Unknown accessible format.")


@transaction.atomic
def letter_format_create(*, actor, letter, kind) -> LetterFormat:
    """The issued letter in an accessible format: made once, then the same copy every time it is asked for."""
    if kind not in LetterFormatKind.values:
        raise ValidationError("Unknown accessible format.")
    # Locked so that two requests at once make one copy (the second finds the first's).
    letter = (Letter.objects.select_for_update(of=("self",)).select_related("incident__school", "person")
              .get(pk=letter.pk))
    require_school_role(actor, letter.incident.school, FORMAT_MAKERS, "make accessible copies of letters")
    if letter.status not in SENT:
        raise ValidationError("Only an issued letter has accessible copies: issue it first.")
    existing = letter.formats.filter(kind=kind).first()
    if existing is not None:
        return existing
    pdf = _render(kind, frozen_html(letter))
    made = save_with_history(
        LetterFormat(letter=letter, kind=kind, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), made_by=actor),
        f"{COPY_NAMES[kind]} made", actor=actor,
    )
    event_record(
        actor=actor,
        incident=letter.incident,
        kind="letter",
        summary=f"{COPY_NAMES[kind]} made: {letter.get_kind_display()} to {letter.person.full_name}",
        note=f"SHA-256 {made.sha256}",
    )
    return made


def formats_panel(user, letter) -> dict:
    """The letter page's accessible-formats panel: its context (nothing for a draft)."""
    if letter.status not in SENT:
        return {"formats_shown": False}
    large_print = (letter.formats.filter(kind=LetterFormatKind.LARGE_PRINT).select_related("made_by")
                   .defer("pdf").first())
    return {
        "formats_shown": True,
        "large_print": large_print,
        "can_make_large_print": large_print is None and has_role(user, letter.incident.school, FORMAT_MAKERS),
    }
