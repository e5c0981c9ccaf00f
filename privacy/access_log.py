"""The access log: who viewed which case, person, letter or file, and when.

The pages below privacy call conduct.access.record_view (and record_lookup for reception's
name checks and block-list exports); `record` and `record_lookup` (registered at start-up)
turn each call into one INSERT. A view is recorded at most once per user and record in
RECORD_WINDOW: every save redirects back to the case page, and the log should say who
looked, not how often they pressed Save (issue 25). The case page's panel reads the
latest views and their total in one query.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Window
from django.utils import timezone

from conduct.permissions import has_role, has_trust_role
from conduct.roles import Role
from privacy.models import AccessKind, AccessLogEntry

PANEL_SIZE = 10
# A second view of the same record by the same user within this time adds no row.
RECORD_WINDOW = timedelta(minutes=10)


def _ids(kind, obj):
    """(incident_id, person_id) of the record seen, from ids the view already holds (no query)."""
    if kind in (AccessKind.CASE, AccessKind.CASE_SUMMARY):
        return obj.pk, None
    if kind == AccessKind.PERSON:
        return None, obj.pk
    if kind == AccessKind.LETTER:
        return obj.incident_id, obj.person_id
    if kind == AccessKind.EVIDENCE:
        return obj.incident_id, None
    if kind == AccessKind.REPRESENTATION:
        return obj.ban.incident_id, obj.ban.person_id
    raise ValueError(f"Unknown kind of view: {kind}")


def _insert_unless_recent_sql() -> str:
    """INSERT ... SELECT ... WHERE NOT EXISTS: the check and the write in one statement (SQLite and
    PostgreSQL alike), so recording a view stays one query. Two requests at the same instant may both
    write; a duplicate row then is harmless."""
    q = connection.ops.quote_name
    table = q(AccessLogEntry._meta.db_table)
    columns = ("at", "user_id", "kind", "object_id", "incident_id", "person_id", "school_id", "detail")
    names = ", ".join(q(c) for c in columns)
    values = ", ".join(["%s"] * len(columns))
    return (f"INSERT INTO {table} ({names}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM {table} "
            f"WHERE {q('user_id')} = %s AND {q('kind')} = %s AND {q('object_id')} = %s AND {q('at')} > %s)")


def record(user, kind, obj, school_id) -> None:
    """One row for the view, unless this user saw this record in the last RECORD_WINDOW."""
    if not getattr(user, "is_authenticated", False):
        return
    incident_id, person_id = _ids(kind, obj)
    field = AccessLogEntry._meta.get_field("at")
    now = timezone.now()
    kind = str(kind)
    params = [field.get_db_prep_value(now, connection), user.pk, kind, obj.pk, incident_id, person_id, school_id,
              "", user.pk, kind, obj.pk, field.get_db_prep_value(now - RECORD_WINDOW, connection)]
    with connection.cursor() as cursor:
        cursor.execute(_insert_unless_recent_sql(), params)


LOOKUPS = {AccessKind.VISITOR_CHECK, AccessKind.REGISTER_EXPORT}


def record_lookup(user, kind, school_id, detail, person_ids) -> None:
    """One row per person whose record answered (so their subject access request finds it), or one row when
    nobody did; in one INSERT."""
    if not getattr(user, "is_authenticated", False):
        return
    if kind not in LOOKUPS:
        raise ValueError(f"Unknown kind of look-up: {kind}")
    detail = detail[:300]
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(user=user, kind=kind, object_id=school_id, person_id=person_id, school_id=school_id,
                       detail=detail)
        for person_id in (person_ids or [None])
    ])


def may_see_access(user, school) -> bool:
    """The case's head and the data protection officer; nobody else sees who looked."""
    return has_trust_role(user, Role.DPO) or has_role(user, school, {Role.HEAD})


def latest_views(incident, limit=PANEL_SIZE):
    """(entries, total): the latest views of the case with their viewers, and how many there are, in one query."""
    entries = list(
        AccessLogEntry.objects.filter(incident_id=incident.pk).select_related("user")
        .annotate(total=Window(Count("pk"))).order_by("-at", "-pk")[:limit]
    )
    return entries, (entries[0].total if entries else 0)


def access_panel_provider(request, incident):
    if not may_see_access(request.user, incident.school):
        return {}
    entries, total = latest_views(incident)
    panel = {"incident": incident, "entries": entries, "total": total, "shown": len(entries),
             "can_export": has_trust_role(request.user, Role.DPO)}
    return {"panels": [{"template": "privacy/_access_panel.html", "context": panel}]}
