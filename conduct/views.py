"""The home page: each user's work list. The top floor, so it may read every app.

The user's own sections come first, most pressing first (the head's decisions
before the Chair's replies), each case in the first of them only. Every section
is bounded: the most urgent SECTION_LIMIT cases chosen, ordered and limited in
SQL, the section's total, and a link to the incident list showing exactly the
section's cases. Sections that are another role's work (the senior leaders'
lists, on the head's page) are folded into counts that link to those lists.
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
from conduct.prepared import PreparedQuery, column_in, ids_param
from conduct.roles import Role
from incidents.models import Incident, IncidentPerson, Involvement
from incidents.selectors import incidents_for
from incidents.workflow import Stage
from incidents.worklists import (
    DEFERRED,
    SECTION_LIMIT,
    STAGE_DOING,
    SectionValues,
    overdue_by_school,
    sections,
)
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
    overdue = section.overdue(row)
    return {
        "url": url or case_link(row["pk"]), "title": row["reference"],
        "subjects": ", ".join(subjects.get(row["pk"], ())),
        "stage": row["stage"], "stage_label": Stage(row["stage"]).label, "school": row["school__name"],
        "overdue": overdue, "overdue_label": section.overdue_label(row) if overdue else "",
        "next_step": section.next_step(row), "next_url": section.next_url(row["pk"]) if section.next_url else None,
        "note": note, "since": row["stage_changed_at"],
    }


# What a work-list item shows, read as plain values: a hundred cases and their schools as model
# instances cost the page more than its queries.
ITEM_FIELDS = ("pk", "reference", "stage", "stage_changed_at", "school__name")


# {(section, whether at one school, database): (count or None, rows)}, each query compiled once a process.
_PREPARED = {}


def _prepared(section, one_school: bool) -> tuple:
    """The section's count and most urgent rows as prepared queries (conduct.prepared), run with a
    SectionValues of the user's schools and the cases already shown.

    PostgreSQL counts them in the rows' query (COUNT(*) OVER (), count None): ordering a section reads all
    of its cases anyway, and a second query cost more in planning than it saved. SQLite must write
    every row to a temporary table to count it in a window, which took longer than a separate
    count from the index plus a top-15 read that stops early (measured in bench/: 2.5 ms a head).
    """
    key = (section, one_school, connection.vendor)
    if key not in _PREPARED:
        # Each case once: a case already in a more pressing section of the page is left out of this one.
        cases = section.deferred_cases(one_school).filter(
            column_in(Incident, "id", ids_param(lambda run: run.shown), negated=True))
        ordered = section.ordered(cases, at=DEFERRED)
        if connection.vendor == "postgresql":
            ordered = ordered.annotate(section_total=Window(Count("pk")))
            count = None
        else:
            count = PreparedQuery(cases.order_by().values("pk"))
        _PREPARED[key] = count, PreparedQuery(ordered.values(*ITEM_FIELDS, *ordered.query.annotations)[:SECTION_LIMIT])
    return _PREPARED[key]


def _most_urgent(section, run) -> tuple[int, list[dict]]:
    """(the section's total, its SECTION_LIMIT most urgent cases as rows), for the run's schools and shown cases."""
    count, rows = _prepared(section, len(run.school_ids) == 1)
    if count is None:
        found = rows.rows(run)
        return (found[0]["section_total"] if found else 0), found
    total = count.count(run)
    # An empty section has nothing to order or read (the RIDDOR and complaint lists are empty at most schools).
    return total, (rows.rows(run) if total else [])


def _own_sections(user) -> list[tuple]:
    """[(section, total, rows)] for the user's own sections, in order, each case in the first only."""
    chosen, shown, now = [], set(), timezone.now()
    for section in sections():
        if section.applies_to(user) and section.is_own(user):
            run = SectionValues(user, now, school_ids=section.school_ids(user), shown=shown)
            total, rows = _most_urgent(section, run)
            shown.update(row["pk"] for row in rows)
            chosen.append((section, total, rows))
    return chosen


def work_sections(user) -> list[dict]:
    chosen = _own_sections(user)
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


def _folded_count(section, user, visible, list_base) -> dict:
    """One other role's section as counts, one query: by stage where it spans several, else its total."""
    cases = section.cases(user, visible).order_by()
    if len(section.stages) > 1:
        by_stage = dict(cases.values_list("stage").annotate(n=Count("stage")))
        counts = [(by_stage[stage], STAGE_DOING[stage], {"stage": stage}) for stage in section.stages
                  if by_stage.get(stage)]
    else:
        total = cases.count()
        counts = [(total, section.noun[0] if total == 1 else section.noun[1], {})] if total else []
    return {"title": section.title, "counts": [
        {"n": n, "label": label, "url": _list_url(list_base, work=section.key, **params)}
        for n, label, params in counts]}


def folded_sections(user) -> list[dict]:
    """Other roles' lists the user may read (the senior leaders' lists, for the head), as counts by owner.

    [{"owner": "Senior leaders' lists", "lists": [{"title", "counts": [{"n", "label", "url"}]}]}], one query a list.
    """
    visible, list_base, groups = incidents_for(user), reverse("incidents:incident_list"), {}
    for section in sections():
        if section.applies_to(user) and not section.is_own(user):
            folded = _folded_count(section, user, visible, list_base)
            if folded["counts"]:
                groups.setdefault(_owner_name(section), []).append(folded)
    return [{"owner": owner, "lists": lists} for owner, lists in groups.items()]


# Whose lists a folded count belongs to, by the section's owning role.
OWNER_NAMES = {Role.SENIOR: "Senior leaders' lists", Role.OFFICE: "The office's lists",
               Role.HEAD: "The head's lists", Role.CHAIR: "The Chair's lists"}


def _owner_name(section) -> str:
    owner = next(iter(sorted(section.owners or section.roles)))
    return OWNER_NAMES.get(owner, "Other lists")


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
    context = {"sections": work_sections(user), "section_limit": SECTION_LIMIT, "folded": folded_sections(user),
               # Reception checks a visitor's name against the ban register from here.
               "check_visitor": bool(school_ids_with_role(user, {Role.OFFICE}))}
    if is_trust_reader(user):
        context["overview"] = school_overview(user)
        context["overview_stages"] = [s for s in Stage if s != Stage.CLOSED]
    return render(request, "conduct/home.html", context)
