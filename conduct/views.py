"""The home page: each user's work list. The top floor, so it may read every app.

Every section is one bounded query: the most urgent SECTION_LIMIT cases chosen,
ordered and limited in SQL, counted in the same query, and a link to the
incident list showing exactly the section's cases.
Trust-wide readers get a table of per-school figures from two aggregate
queries, never a list of cases: a page must not grow with the size of the
database.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids
from incidents.models import IncidentPerson, Involvement
from incidents.selectors import incidents_for
from incidents.workflow import Stage
from incidents.worklists import SECTION_LIMIT, overdue_q, sections
from sanctions.models import BanStatus, SiteBan
from sanctions.selectors_bans import in_force_q

# Apps on the top floor (privacy's subject access requests) add sections here:
# each provider is called with the user and returns a list of section dicts.
EXTRA_SECTION_PROVIDERS = []


def _list_url(**params) -> str:
    return f"{reverse('incidents:incident_list')}?{urlencode(params)}"


def _item(section, incident, subjects) -> dict:
    url, note = section.describe(incident)
    return {
        "url": url or incident.get_absolute_url(), "title": incident.reference,
        "subjects": ", ".join(subjects.get(incident.pk, ())),
        "stage": incident.stage, "stage_label": incident.get_stage_display(), "school": incident.school.name,
        "overdue": bool(getattr(incident, "is_overdue", False)), "note": note, "since": incident.stage_changed_at,
    }


# What a work-list item shows: loading whole cases (accounts and all) cost more than the queries.
ITEM_FIELDS = ("reference", "stage", "stage_changed_at", "school__name")


def _most_urgent(section, cases) -> tuple[int, list]:
    """(the section's total, its SECTION_LIMIT most urgent cases), from one query.

    Ordering a section by urgency reads all of its cases anyway, so the same query counts them
    (COUNT(*) OVER ()) rather than a second query counting them again.
    """
    rows = list(section.order(cases).select_related("school").only(*ITEM_FIELDS)
                .annotate(section_total=Window(Count("pk")))[:SECTION_LIMIT])
    return (rows[0].section_total if rows else 0), rows


def work_sections(user) -> list[dict]:
    visible = incidents_for(user)
    chosen = [(section, *_most_urgent(section, section.cases(user, visible)))
              for section in sections() if section.applies_to(user)]
    subjects = _subject_names({incident.pk for _s, _t, cases in chosen for incident in cases})
    result = [
        {"key": section.key, "title": section.title, "empty": section.empty,
         "items": [_item(section, incident, subjects) for incident in cases], "total": total,
         "more_url": _list_url(work=section.key) if total > len(cases) else ""}
        for section, total, cases in chosen
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

    Two aggregate queries grouped by school, whatever the number of cases: the
    open stages are named (not "everything but closed") so that the stage index
    reads only open cases, which do not pile up over the years as closed ones do.
    """
    school_ids = readable_school_ids(user)
    schools = School.objects.filter(pk__in=school_ids).order_by("name")
    open_stages = [s for s in Stage if s != Stage.CLOSED]
    by_stage, overdue = {}, {}
    for row in (incidents_for(user).filter(stage__in=open_stages).values("stage", "school_id")
                # Counting the index's own columns (not ids) lets the database answer from the index alone.
                .annotate(n=Count("stage"), late=Count("stage_changed_at", filter=overdue_q())).order_by()):
        by_stage.setdefault(row["school_id"], {})[row["stage"]] = row["n"]
        overdue[row["school_id"]] = overdue.get(row["school_id"], 0) + row["late"]
    today = timezone.localdate()
    in_force = in_force_q(today)
    review_due = Q(status=BanStatus.CONFIRMED, review_on__lte=today + timedelta(days=30))
    bans = {row["incident__school_id"]: row for row in (
        SiteBan.objects.filter(in_force | review_due, incident__school_id__in=school_ids)
        .values("incident__school_id")
        .annotate(in_force=Count("pk", filter=in_force), reviews=Count("pk", filter=review_due)).order_by()
    )}
    rows = []
    for school in schools:
        counts = by_stage.get(school.pk, {})
        ban_counts = bans.get(school.pk, {})
        rows.append({
            "school": school,
            "stages": [{"stage": s, "count": counts.get(s.value, 0),
                        "url": _list_url(school=school.pk, stage=s.value)} for s in open_stages],
            "open": sum(counts.values()),
            "overdue": overdue.get(school.pk, 0),
            "overdue_url": _list_url(school=school.pk, overdue="1"),
            "bans_in_force": ban_counts.get("in_force", 0),
            "reviews_due": ban_counts.get("reviews", 0),
        })
    return rows


@require_safe
def home(request):
    user = request.user
    context = {"sections": work_sections(user), "section_limit": SECTION_LIMIT}
    if is_trust_reader(user):
        context["overview"] = school_overview(user)
        context["overview_stages"] = [s for s in Stage if s != Stage.CLOSED]
    return render(request, "conduct/home.html", context)
