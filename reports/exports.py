"""The incident list as CSV, streamed a chunk of rows at a time.

Rows are read with `.iterator(chunk_size=...)` and each chunk's categories,
decisions, bans and people are prefetched together, so a year of a school's
cases (or the whole trust's) costs a handful of queries per chunk and never
sits in memory as one file.
"""

import csv

from django.db.models import Prefetch
from django.utils import timezone

from incidents.models import IncidentPerson, Involvement
from reports.figures import DECIDING
from sanctions.models import Decision, SiteBan

CHUNK_SIZE = 500
HEADER = ["Reference", "School", "Date", "Location", "Categories", "Stage", "Outcome", "Actions decided",
          "Days to decision", "Ban status", "Subjects", "Witnesses"]
# Where the viewer has no role at the case's school (trust oversight), people are not named.
NOT_SHOWN = "(not shown)"
# A spreadsheet treats a cell starting with one of these as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell as text that no spreadsheet will run: a leading apostrophe keeps a formula as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """csv.writer writes to this and gets the line back, so each row can be yielded as it is made."""

    def write(self, value):
        return value


def _row(incident, named_school_ids) -> list:
    decisions = list(incident.decisions.all())
    deciding = [d for d in decisions if d.outcome in DECIDING]
    latest = decisions[-1] if decisions else None
    days = ""
    if deciding:
        days = f"{(deciding[0].decided_at - incident.logged_at).total_seconds() / 86400:.1f}"
    if incident.school_id in named_school_ids:
        subjects = "; ".join(link.person.full_name for link in incident.person_links.all()
                             if link.involvement == Involvement.SUBJECT)
        witnesses = "; ".join(link.person.full_name for link in incident.person_links.all()
                              if link.involvement == Involvement.WITNESS)
    else:
        subjects = witnesses = NOT_SHOWN
    return [
        incident.reference,
        incident.school.name,
        timezone.localtime(incident.occurred_at).date().isoformat(),
        incident.get_location_display(),
        "; ".join(c.name for c in incident.categories.all()),
        incident.get_stage_display(),
        latest.get_outcome_display() if latest else "",
        "; ".join(deciding[-1].action_labels()) if deciding else "",
        days,
        "; ".join(f"{b.get_status_display()} ({b.starts_on.isoformat()} to {b.ends_on.isoformat()})"
                  for b in incident.bans.all()),
        subjects,
        witnesses,
    ]


def incident_csv_lines(incidents, *, named_school_ids):
    """Lines of CSV text: a header, then one line per incident. Pupils appear nowhere."""
    writer = csv.writer(_Echo())
    # The byte order mark tells spreadsheets the file is UTF-8 (names with accents).
    yield "\ufeff" + writer.writerow(HEADER)
    prefetches = [
        "categories",
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_at", "pk")),
        Prefetch("bans", queryset=SiteBan.objects.order_by("starts_on", "pk")),
    ]
    if named_school_ids:
        prefetches.append(
            Prefetch("person_links", queryset=IncidentPerson.objects.select_related("person").order_by("pk")))
    incidents = incidents.select_related("school").prefetch_related(*prefetches)
    for incident in incidents.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([neutralise(cell) for cell in _row(incident, named_school_ids)])
