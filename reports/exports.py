"""The incident list as CSV, streamed a chunk of rows at a time.

Rows are read in chunks, newest first, each chunk starting after the last row
of the one before (keyset, not OFFSET), and each chunk's categories,
decisions, bans and people are prefetched together, so a year of a school's
cases (or the whole trust's) costs a handful of queries per chunk and never
sits in memory as one file. The first chunk is small, so the download starts
at once rather than after the first 500 rows are built.
"""

from django.db.models import Prefetch, Q
from django.utils import timezone

from conduct.csv_safe import csv_lines
from incidents.models import BreachCategory, IncidentPerson, Involvement
from reports.figures import DECIDING
from sanctions.models import Decision, SiteBan

CHUNK_SIZE = 500
FIRST_CHUNK_SIZE = 25
HEADER = ["Reference", "School", "Date", "Location", "Categories", "Stage", "Outcome", "Actions decided",
          "Days to decision", "Ban status", "Subjects", "Witnesses"]
# The lists _incident_rows prefetches onto each incident (Prefetch to_attr).
PREFETCHED = ("csv_categories", "csv_decisions", "csv_bans", "csv_links")
# Where the viewer has no role at the case's school (trust oversight), people are not named.
NOT_SHOWN = "(not shown)"


def _row(incident, named_school_ids) -> list:
    decisions = incident.csv_decisions
    deciding = [d for d in decisions if d.outcome in DECIDING]
    latest = decisions[-1] if decisions else None
    days = ""
    if deciding:
        days = f"{(deciding[0].decided_at - incident.logged_at).total_seconds() / 86400:.1f}"
    if incident.school_id in named_school_ids:
        subjects = "; ".join(link.person.full_name for link in incident.csv_links
                             if link.involvement == Involvement.SUBJECT)
        witnesses = "; ".join(link.person.full_name for link in incident.csv_links
                              if link.involvement == Involvement.WITNESS)
    else:
        subjects = witnesses = NOT_SHOWN
    return [
        incident.reference,
        incident.school.name,
        timezone.localtime(incident.occurred_at).date().isoformat(),
        incident.get_location_display(),
        "; ".join(c.name for c in incident.csv_categories),
        incident.get_stage_display(),
        latest.get_outcome_display() if latest else "",
        "; ".join(deciding[-1].action_labels()) if deciding else "",
        days,
        "; ".join(f"{b.get_status_display()} ({b.starts_on.isoformat()} to {b.ends_on.isoformat()})"
                  for b in incident.csv_bans),
        subjects,
        witnesses,
    ]


def incident_csv_lines(incidents, *, named_school_ids):
    """Lines of CSV text, no cell a formula: a header, then one line per incident. Pupils appear nowhere."""
    # The byte order mark tells spreadsheets the file is UTF-8 (names with accents).
    return csv_lines(_incident_rows(incidents, named_school_ids), byte_order_mark=True)


def _incident_rows(incidents, named_school_ids):
    yield HEADER
    # Into plain lists (to_attr): Django's usual prefetch gave every incident a manager and a cloned
    # queryset per relation, which was most of the export's time.
    prefetches = [
        Prefetch("categories", queryset=BreachCategory.objects.all(), to_attr="csv_categories"),
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_at", "pk"), to_attr="csv_decisions"),
        Prefetch("bans", queryset=SiteBan.objects.order_by("starts_on", "pk"), to_attr="csv_bans"),
    ]
    if named_school_ids:
        prefetches.append(Prefetch("person_links", to_attr="csv_links",
                                   queryset=IncidentPerson.objects.select_related("person").order_by("pk")))
    incidents = incidents.select_related("school").prefetch_related(*prefetches)
    for chunk in _chunks(incidents):
        for incident in chunk:
            yield _row(incident, named_school_ids)
            # A prefetched decision, ban or link points back at its incident: a cycle that only the garbage
            # collector frees, and with a year's cases read its full collections paused the download for
            # about 90 ms (bench/, PostgreSQL). Dropping the lists lets each chunk be freed as it is left.
            for prefetched in PREFETCHED:
                incident.__dict__.pop(prefetched, None)


def _chunks(incidents):
    """Lists of incidents, newest first, each read (with its prefetches) in one go."""
    incidents = incidents.order_by("-occurred_at", "-pk")
    size = min(FIRST_CHUNK_SIZE, CHUNK_SIZE)
    chunk = list(incidents[:size])
    while chunk:
        yield chunk
        if len(chunk) < size:
            return
        last = chunk[-1]
        size = CHUNK_SIZE
        # "Up to the last row's time, less what was already read at that time": a range the date index
        # answers, where the equivalent OR made the database filter row by row.
        chunk = list(incidents.filter(Q(occurred_at__lte=last.occurred_at)
                                      & ~Q(occurred_at=last.occurred_at, pk__gte=last.pk))[:size])
