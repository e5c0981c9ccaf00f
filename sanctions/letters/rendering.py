"""The one place that turns templates into PDF bytes with WeasyPrint.

Views and services ask this module for HTML or bytes; nothing else imports
weasyprint. Letters never fetch anything from the network: the stylesheet is
read from disk and the school's logo is inlined as a data: URI, and the URL
fetcher refuses every other address (an address typed into a letter must not
make the server call out).
"""

import base64
import re
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from sanctions.models import COLLECTORS_NOTE

LETTER_CSS = "css/letter.css"


class LetterRenderError(Exception):
    pass


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    # data: URIs only (the inlined logo); file and network addresses are refused.
    return URLFetcher(allowed_protocols={"data"}, timeout=2)


@lru_cache(maxsize=1)
def _stylesheet():
    from weasyprint import CSS

    path = finders.find(LETTER_CSS)
    if not path:
        raise LetterRenderError(f"The letter stylesheet {LETTER_CSS} is missing.")
    return CSS(filename=path)


def logo_data_uri(school) -> str:
    """The school's logo as a data: URI, or "" when there is none or it cannot be read."""
    if not school.logo:
        return ""
    try:
        with school.logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    from incidents.uploads import ALLOWED

    # The bytes must be the image the name says (an SVG or HTML renamed .png is dropped).
    extension = Path(school.logo.name).suffix.lower()
    if extension not in {".png", ".jpg", ".jpeg", ".gif", ".webp"} or not ALLOWED[extension][1](data[:16]):
        return ""
    content_type = ALLOWED[extension][0]
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(template_name: str, context: dict, *, for_pdf: bool = True) -> str:
    return render_to_string(template_name, {**context, "for_pdf": for_pdf})


# gunicorn runs several threads in each worker (README, Deployment). WeasyPrint drives Pango and
# fontconfig, which it does not document as safe to use from two threads at once, so a process
# renders one PDF at a time; letters and board reports are rare enough for that to cost nothing.
_RENDERING = threading.Lock()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    with _RENDERING:
        document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher())
        return document.write_pdf(stylesheets=[_stylesheet()])


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template_name, context, for_pdf=True))


# Letters ------------------------------------------------------------------------------

LETTER_TEMPLATES = {
    "meeting": "sanctions/letters/meeting.html",
    "warning": "sanctions/letters/warning.html",
    "intended_ban": "sanctions/letters/intended_ban.html",
    "provisional_ban": "sanctions/letters/provisional_ban.html",
    "ban_confirmed": "sanctions/letters/ban_confirmed.html",
    "ban_withdrawn": "sanctions/letters/ban_withdrawn.html",
    "ban_review": "sanctions/letters/ban_review.html",
    "complaint_outcome": "sanctions/letters/complaint_outcome.html",
}


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines (each kept escaped by the template)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def one_line(address: str) -> str:
    return ", ".join(line.strip().rstrip(",") for line in (address or "").splitlines() if line.strip())


def place_of(incident) -> str:
    label = incident.get_location_display()
    if incident.location_detail:
        return f"{incident.location_detail} ({label[0].lower()}{label[1:]})"
    return f"{label[0].lower()}{label[1:]}"


def letter_context(letter, *, dated=None) -> dict:
    incident = letter.incident
    school = incident.school
    ban = letter.ban
    if dated is None:
        dated = timezone.localtime(letter.issued_at).date() if letter.issued_at else timezone.localdate()
    notice_letter = None
    if ban is not None:
        notice_letter = (
            ban.letters.filter(kind__in=["intended_ban", "provisional_ban"], status__in=["issued", "superseded"])
            .order_by("issued_at").first()
        )
    return {
        "letter": letter,
        "kind": letter.kind,
        "school": school,
        "school_address_line": one_line(school.address),
        "logo": logo_data_uri(school),
        "person": letter.person,
        "incident": incident,
        "place": place_of(incident),
        "categories": list(incident.categories.all()),
        "facts": paragraphs(letter.facts or incident.description),
        "specific": paragraphs(letter.specific_paragraphs),
        "collectors_note": COLLECTORS_NOTE if letter.collectors_note else "",
        "ban": ban,
        "sites": [{"name": s.name, "address": one_line(s.address)} for s in ban.sites.order_by("name")] if ban else [],
        "original_end": ban.original_ends_on if ban else None,
        "notice_letter": notice_letter,
        "review": letter.review,
        "complaint_step": letter.complaint_step,
        "complaint": letter.complaint_step.complaint if letter.complaint_step_id else None,
        "representations": list(ban.representations.all()) if ban else [],
        "dated": dated,
        "effective": dated,
        "draft": letter.status == "draft",
    }


def letter_html(letter, *, for_pdf: bool = False, dated=None) -> str:
    return render_html(LETTER_TEMPLATES[letter.kind], letter_context(letter, dated=dated), for_pdf=for_pdf)


def letter_pdf(letter, *, dated=None) -> bytes:
    return html_to_pdf(render_html(LETTER_TEMPLATES[letter.kind], letter_context(letter, dated=dated)))


# The case summary -----------------------------------------------------------------------


def case_summary_pdf(context: dict) -> bytes:
    return render_pdf("sanctions/letters/case_summary.html", context)


# Accessible formats ------------------------------------------------------------------------

LARGE_PRINT_CSS = "css/letter-large-print.css"


@lru_cache(maxsize=1)
def _large_print_stylesheet():
    from weasyprint import CSS

    path = finders.find(LARGE_PRINT_CSS)
    if not path:
        raise LetterRenderError(f"The large-print stylesheet {LARGE_PRINT_CSS} is missing.")
    return CSS(filename=path)


def large_print_pdf(html: str) -> bytes:
    """The issued letter's own HTML in large print: the letter's stylesheet, then the large-print one over it,
    so the wording is the letter's and only the setting changes."""
    from weasyprint import HTML

    with _RENDERING:
        document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher())
        return document.write_pdf(stylesheets=[_stylesheet(), _large_print_stylesheet()])
