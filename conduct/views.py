"""The home page: each user's work list. The top floor, so it may read every app.

Every section is bounded: the most urgent SECTION_LIMIT cases chosen, ordered
and limited in SQL, the section's total, and a link to the incident list
showing exactly the section's cases.
Trust-wide readers get a table of per-school figures from three aggregate
queries, never a list of cases: a page must not grow with the size of the
database.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from conduct.links import LinkForId
from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids, school_ids_with_role
from conduct.roles import Role
from incidents.models import IncidentPerson, Involvement
from incidents.selectors import incidents_for
from incidents.workflow import Stage
from incidents.worklists import SECTION_LIMIT, overdue_by_school, sections
from sanctions.bans.selectors import in_force_q
from sanctions.models import BanStatus, SiteBan

# Apps on the top floor (privacy's subject access requests) add sections here:
# each provider is called with the user and returns a list of section dicts.
EXTRA_SECTION_PROVIDERS = []


def _list_url(base: str, **params) -> str:
    return f"{base}?{urlencode(params)}"


case_link = LinkForId("incidents:incident_detail")


def _item(section, row, subjects) -> dict:
    url, note = section.describe(row)
    return {
        "url": url or case_link(row["pk"]), "title": row["reference"],
        "subjects": ", ".join(subjects.get(row["pk"], ())),
        "stage": row["stage"], "stage_label": Stage(row["stage"]).label, "school": row["school__name"],
        "overdue": section.overdue(row), "note": note, "since": row["stage_changed_at"],
    }


# What a work-list item shows, read as plain values: a hundred cases and their schools as model
# instances cost the page more than its queries.
ITEM_FIELDS = ("pk", "reference", "stage", "stage_changed_at", "school__name")


def _most_urgent(section, cases) -> tuple[int, list[dict]]:
    """(the section's total, its SECTION_LIMIT most urgent cases as rows).

    PostgreSQL counts them in the same query (COUNT(*) OVER ()): ordering a section reads all of
    its cases anyway, and a second query cost more in planning than it saved. SQLite must write
    every row to a temporary table to count it in a window, which took longer than a separate
    count from the index plus a top-15 read that stops early (measured in bench/: 2.5 ms a head).
    """
    ordered = section.ordered(cases)
    fields = (*ITEM_FIELDS, *ordered.query.annotations)
    if connection.vendor == "postgresql":
        rows = list(ordered.annotate(section_total=Window(Count("pk"))).values(*fields, "section_total")
                    [:SECTION_LIMIT])
        return (rows[0]["section_total"] if rows else 0), rows
    return cases.order_by().count(), list(ordered.values(*fields)[:SECTION_LIMIT])


def work_sections(user) -> list[dict]:
    visible = incidents_for(user)
    chosen = [(section, *_most_urgent(section, section.cases(user, visible)))
              for section in sections() if section.applies_to(user)]
    subjects = _subject_names({row["pk"] for _s, _t, rows in chosen for row in rows})
    list_base = reverse("incidents:incident_list")
    result = [
        {"key": section.key, "title": section.title, "empty": section.empty,
         "items": [_item(section, row, subjects) for row in rows], "total": total,
         "more_url": _list_url(list_base, work=section.key) if total > len(rows) else "",
         "link": {"label": section.link[0], "url": reverse(section.link[1])} if section.link else None}
        for section, total, rows in chosen
    ]
    for provider in EXTRA_SECTION_PROVIDERS:
        result.extend(provider(user))
    return result


def _subject_names(incident_ids) -> dict[int, list[str]]:
    """{incident id: its subjects' names}, for every section in one query. Plain values, not
    prefetched links and people: some 250 model instances cost more than the query."""
    names = {}
    rows = (IncidentPerson.objects.filter(incident_id__in=sorted(incident_ids), involvement=Involvement.SUBJECT)
            .order_by("pk").values_list("incident_id", "person__full_name"))
    for incident_id, name in rows if incident_ids else ():
        names.setdefault(incident_id, []).append(name)
    return names


def school_overview(user) -> list[dict]:
    """One row per school the user reads: open cases by stage, overdue, bans in force, reviews due.

    Three aggregate queries grouped by school, whatever the number of cases: the
    open stages are named (not "everything but closed") so that the stage index
    reads only open cases, which do not pile up over the years as closed ones do.
    """
    school_ids = readable_school_ids(user)
    schools = School.objects.filter(pk__in=school_ids).order_by("name")
    open_stages = [s for s in Stage if s != Stage.CLOSED]
    by_stage = {}
    for row in (incidents_for(user).filter(stage__in=open_stages).values("stage", "school_id")
                # Counting the index's own column (not ids) lets the database answer from the index alone.
                .annotate(n=Count("stage")).order_by()):
        by_stage.setdefault(row["school_id"], {})[row["stage"]] = row["n"]
    overdue = overdue_by_school(incidents_for(user))
    today = timezone.localdate()
    in_force = in_force_q(today)
    review_due = Q(status=BanStatus.CONFIRMED, review_on__lte=today + timedelta(days=30))
    bans = {row["incident__school_id"]: row for row in (
        SiteBan.objects.filter(in_force | review_due, incident__school_id__in=school_ids)
        .values("incident__school_id")
        .annotate(in_force=Count("pk", filter=in_force), reviews=Count("pk", filter=review_due)).order_by()
    )}
    list_base = reverse("incidents:incident_list")
    rows = []
    for school in schools:
        counts = by_stage.get(school.pk, {})
        ban_counts = bans.get(school.pk, {})
        rows.append({
            "school": school,
            "stages": [{"stage": s, "count": counts.get(s.value, 0),
                        "url": _list_url(list_base, school=school.pk, stage=s.value)} for s in open_stages],
            "open": sum(counts.values()),
            "overdue": overdue.get(school.pk, 0),
            "overdue_url": _list_url(list_base, school=school.pk, overdue="1"),
            "bans_in_force": ban_counts.get("in_force", 0),
            "reviews_due": ban_counts.get("reviews", 0),
        })
    return rows


@require_safe
def home(request):
    user = request.user
    context = {"sections": work_sections(user), "section_limit": SECTION_LIMIT,
               # Reception checks a visitor's name against the ban register from here.
               "check_visitor": bool(school_ids_with_role(user, {Role.OFFICE}))}
    if is_trust_reader(user):
        context["overview"] = school_overview(user)
        context["overview_stages"] = [s for s in Stage if s != Stage.CLOSED]
    return render(request, "conduct/home.html", context)
