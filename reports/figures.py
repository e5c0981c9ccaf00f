"""The dashboard's and the board report's numbers: every one an aggregate query.

Every figure starts from the incidents the incident list would show the user
(`incidents_for` narrowed by `filter_incidents`), so a number links to a list
of exactly the cases it counts. Records of other kinds (decisions, the Chair's
consultations, bans, people) are counted through `incident__in=<those
incidents>`. The number of queries depends on nothing but the page: no figure
reads rows one by one.

Two kinds of figure:
- "in the period": incidents that happened between `from` and `to`, and what
  was decided about them;
- "now": open cases and bans today, whatever the period (a case from last
  year that is still open is still work), filtered by school and category.
The monthly chart and the repeat subjects cover the twelve months up to `to`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory, Incident, IncidentPerson, Injury, Involvement, StaffHarm
from incidents.selectors import filter_incidents
from incidents.workflow import Stage
from incidents.worklists import overdue_q
from reports.access import named_school_ids, report_incidents, report_schools
from reports.aggregates import DaysBetween, Median
from reports.charts import SHORT_ACTION_LABELS
from sanctions.bans.selectors import in_force_q
from sanctions.models import (
    ActionKind,
    BanBreach,
    BanStatus,
    ChairConsultation,
    Complaint,
    ComplaintOutcome,
    ComplaintStage,
    ComplaintStep,
    Decision,
    DecisionAction,
    DecisionOutcome,
    SiteBan,
)

MONTHS = 12
# Bans whose review or end falls within this many days are "due".
DUE_WITHIN_DAYS = 30
REPEAT_THRESHOLD = 3
# The repeat subjects named on the page; the rest are counted.
REPEAT_NAMES_SHOWN = 20
# A decision that settles the response (a rejection sends the case back for a new proposal).
DECIDING = (DecisionOutcome.APPROVED, DecisionOutcome.CHANGED)
OPEN_STAGES = [s for s in Stage if s != Stage.CLOSED]
# The order the outcomes are shown in: the policy's five actions, then social media, then no further action.
ACTION_ORDER = [ActionKind.MEETING, ActionKind.WARNING_LETTER, ActionKind.AUTHORITIES, ActionKind.LEGAL_ADVICE,
                ActionKind.SITE_BAN, ActionKind.REPORT_POST, ActionKind.NO_FURTHER_ACTION]
# Okabe and Ito's colour-blind-safe palette, then four more with enough contrast against white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D1F", "#000000",
           "#6A3D9A", "#B15928", "#1B7837", "#777777", "#393B79", "#8C564B"]


@dataclass(frozen=True)
class ReportFilter:
    school_ids: frozenset  # every school the user may read reports of
    school: object = None  # one of them, or None for all
    category: object = None
    date_from: date = None
    date_to: date = None

    def list_params(self, **extra) -> dict:
        """The incident list's filters for the same scope (its names: date_from, date_to)."""
        params = {}
        if self.school is not None:
            params["school"] = self.school.pk
        if self.category is not None:
            params["category"] = self.category.pk
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return params

    def list_url(self, **extra) -> str:
        return f"{reverse('incidents:incident_list')}?{urlencode(self.list_params(**extra))}"

    def period_url(self, **extra) -> str:
        return self.list_url(date_from=self.date_from.isoformat(), date_to=self.date_to.isoformat(), **extra)


def month_starts(end: date, months: int = MONTHS) -> list[date]:
    """The first days of the `months` months up to and including `end`'s month."""
    starts = []
    year, month = end.year, end.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def local_range(first: date, last: date) -> dict:
    """`occurred_at` from local midnight on `first` to local midnight after `last`.

    The same days as the incident list's `occurred_at__date` filters, written as a range the
    (school, occurred_at) index can answer; a date cast of every row could use none."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return {"occurred_at__gte": start, "occurred_at__lt": end}


@dataclass
class Figures:
    filters: ReportFilter
    today: date
    months: list = field(default_factory=list)
    monthly: dict = field(default_factory=dict)
    open_cases: dict = field(default_factory=dict)
    period: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)
    medians: list = field(default_factory=list)
    bans: dict = field(default_factory=dict)
    complaints: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)
    comparison: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    staff_harmed: list = field(default_factory=list)


class ReportQueries:
    """The querysets every figure is built from, for one user and one set of filters."""

    def __init__(self, user, filters: ReportFilter, today: date):
        self.user, self.filters, self.today = user, filters, today
        scoped = report_incidents(user, filters.school_ids)
        # School and category: the incident list's own filter function.
        self.narrowed = filter_incidents(scoped, {"school": filters.school, "category": filters.category})
        self.in_period = self.narrowed.filter(**local_range(filters.date_from, filters.date_to))
        self.window_start = month_starts(filters.date_to)[0]
        self.in_window = self.narrowed.filter(**local_range(self.window_start, filters.date_to))

    def first_decided_at(self):
        """When the response was first decided: a subquery on the case's decisions."""
        return Subquery(Decision.objects.filter(incident=OuterRef("pk"), outcome__in=DECIDING)
                        .order_by("decided_at", "pk").values("decided_at")[:1])


def build_figures(user, filters: ReportFilter, *, today=None, compare: bool = False, names: bool = True,
                  cases: int = 0) -> Figures:
    """Every figure for the filters; `compare` adds a row per school, `cases` lists that many
    of the period's cases by reference (the board report), `names` allows repeat subjects' names."""
    today = today or timezone.localdate()
    q = ReportQueries(user, filters, today)
    figures = Figures(filters=filters, today=today)
    _monthly(q, figures)
    by_school = _now_by_school(q, figures)
    period_by_school = _period(q, figures)
    _breaches(q, figures)
    _complaints(q, figures)
    _outcomes(q, figures)
    _medians(q, figures)
    _repeat_subjects(q, figures, names=names)
    _staff_harmed(q, figures)
    if compare:
        _comparison(q, figures, by_school, period_by_school)
    if cases:
        _cases(q, figures, cases)
    return figures


def _cases(q: ReportQueries, figures: Figures, limit: int) -> None:
    """The period's first `limit` cases, by reference only: no person is named."""
    deciding = Decision.objects.filter(outcome__in=DECIDING).order_by("-decided_at", "-pk")
    incidents = (q.in_period.order_by("occurred_at", "pk")
                 .prefetch_related("categories", Prefetch("decisions", queryset=deciding, to_attr="deciding"))
                 [:limit])
    figures.cases = [
        {"reference": i.reference, "occurred_at": i.occurred_at, "stage": i.get_stage_display(),
         "categories": [c.name for c in i.categories.all()],
         "actions": [SHORT_ACTION_LABELS.get(a, a) for a in i.deciding[0].actions] if i.deciding else []}
        for i in incidents
    ]


def _monthly(q: ReportQueries, figures: Figures) -> None:
    months = month_starts(q.filters.date_to)
    index = {m: i for i, m in enumerate(months)}
    through = Incident.categories.through
    links = through.objects.filter(incident__in=q.in_window.values("pk"))
    if q.filters.category is not None:
        # The chosen category's column only, not the other categories its incidents also breach.
        links = links.filter(breachcategory=q.filters.category)
    by_category = (
        links.annotate(month=TruncMonth("incident__occurred_at"))
        .values("month", "breachcategory_id").annotate(n=Count("pk")).order_by()
    )
    counts = {}
    for row in by_category:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        counts.setdefault(row["breachcategory_id"], [0] * len(months))[index[month]] += row["n"]
    totals = [0] * len(months)
    for row in (q.in_window.annotate(month=TruncMonth("occurred_at")).values("month")
                .annotate(n=Count("pk")).order_by()):
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        totals[index[month]] += row["n"]
    categories = []
    for position, category in enumerate(BreachCategory.objects.order_by("order", "name")):
        if category.pk in counts:
            categories.append({"category": category, "colour": PALETTE[position % len(PALETTE)],
                               "counts": counts[category.pk], "total": sum(counts[category.pk])})
    last = q.filters.date_to
    figures.months = [
        {"start": m, "total": totals[i],
         "url": q.filters.list_url(date_from=max(m, q.window_start).isoformat(),
                                   date_to=min(next_month(m) - timedelta(days=1), last).isoformat())}
        for i, m in enumerate(months)
    ]
    rows = [{**month, "cells": [c["counts"][i] for c in categories]} for i, month in enumerate(figures.months)]
    figures.monthly = {"categories": categories, "rows": rows, "start": q.window_start, "end": last,
                       "total": sum(totals)}


def _now_by_school(q: ReportQueries, figures: Figures) -> dict:
    """Open cases by stage and overdue, and bans, today; per school (for the comparison) and in all."""
    now = timezone.now()
    by_school = {}
    stage_counts = {s.value: {"count": 0, "overdue": 0} for s in OPEN_STAGES}
    # The open stages named (not "all but closed") and the index's own columns counted: the
    # (stage, school, stage_changed_at) index answers alone, reading open cases only.
    rows = (q.narrowed.filter(stage__in=[s.value for s in OPEN_STAGES]).values("school_id", "stage")
            .annotate(n=Count("stage"), overdue=Count("stage_changed_at", filter=overdue_q(now))).order_by())
    for row in rows:
        school = by_school.setdefault(row["school_id"], {"open": 0, "overdue": 0})
        school["open"] += row["n"]
        school["overdue"] += row["overdue"]
        stage_counts[row["stage"]]["count"] += row["n"]
        stage_counts[row["stage"]]["overdue"] += row["overdue"]
    figures.open_cases = {
        "stages": [{"stage": s.value, "label": s.label, "url": q.filters.list_url(stage=s.value), **stage_counts[s]}
                   for s in OPEN_STAGES],
        "total": sum(c["count"] for c in stage_counts.values()),
        "overdue": sum(c["overdue"] for c in stage_counts.values()),
        "overdue_url": q.filters.list_url(overdue="1"),
    }
    soon = q.today + timedelta(days=DUE_WITHIN_DAYS)
    in_force = in_force_q(q.today)
    bans = (SiteBan.objects.filter(incident__in=q.narrowed.values("pk")).values("incident__school_id")
            .annotate(in_force=Count("pk", filter=in_force),
                      # As the home page counts them: confirmed bans whose review is due (or late).
                      reviews_due=Count("pk", filter=Q(status=BanStatus.CONFIRMED, review_on__lte=soon)),
                      ending=Count("pk", filter=in_force & Q(ends_on__lte=soon)),
                      awaiting=Count("pk", filter=Q(status=BanStatus.INTENDED)))
            .order_by())
    totals = {"in_force": 0, "reviews_due": 0, "ending": 0, "awaiting": 0}
    for row in bans:
        school = by_school.setdefault(row["incident__school_id"], {"open": 0, "overdue": 0})
        for key in totals:
            totals[key] += row[key]
            school[key] = row[key]
    figures.bans = {**totals, "soon": soon}
    return by_school


def _breaches(q: ReportQueries, figures: Figures) -> None:
    """Breaches of bans in the period: the cases that record a banned person coming onto the site."""
    figures.bans["breaches"] = BanBreach.objects.filter(incident__in=q.in_period.values("pk")).count()


COMPLAINT_STEP_STAGES = (ComplaintStage.INFORMAL, ComplaintStage.FORMAL, ComplaintStage.PANEL)


def _complaints(q: ReportQueries, figures: Figures) -> None:
    """Complaints about the cases in view: received in the period, open today by stage, and each stage's
    outcomes reached in the period (a complaint heard at two stages counts once at each)."""
    about = q.narrowed.values("pk")
    period = (q.filters.date_from, q.filters.date_to)
    received = Complaint.objects.filter(incident__in=about, received_on__range=period).count()
    open_now = dict(Complaint.objects.filter(incident__in=about, stage__in=COMPLAINT_STEP_STAGES)
                    .values("stage").annotate(n=Count("pk")).order_by().values_list("stage", "n"))
    overdue = Complaint.objects.filter(incident__in=about, stage__in=COMPLAINT_STEP_STAGES,
                                       deadline__lt=q.today).count()
    decided = {(row["stage"], row["outcome"]): row["n"] for row in
               ComplaintStep.objects.filter(complaint__incident__in=about, outcome_on__range=period)
               .values("stage", "outcome").annotate(n=Count("pk")).order_by()}
    figures.complaints = {
        "received": received, "overdue": overdue,
        "open": [{"label": stage.label, "count": open_now.get(stage.value, 0)} for stage in COMPLAINT_STEP_STAGES],
        "stages": [stage.label for stage in COMPLAINT_STEP_STAGES],
        "outcomes": [{"label": outcome.label,
                      "counts": [decided.get((stage.value, outcome.value), 0) for stage in COMPLAINT_STEP_STAGES]}
                     for outcome in ComplaintOutcome],
    }


def _period(q: ReportQueries, figures: Figures) -> dict:
    rows = (q.in_period.annotate(first_decided=q.first_decided_at()).values("school_id")
            .annotate(incidents=Count("pk"), decided=Count("first_decided"),
                      closed=Count("pk", filter=Q(stage=Stage.CLOSED)),
                      median=Median(DaysBetween("first_decided", "logged_at")))
            .order_by())
    by_school = {row["school_id"]: row for row in rows}
    figures.period = {
        "incidents": sum(r["incidents"] for r in by_school.values()),
        "decided": sum(r["decided"] for r in by_school.values()),
        "closed": sum(r["closed"] for r in by_school.values()),
        "url": q.filters.period_url(),
        "closed_url": q.filters.period_url(stage=Stage.CLOSED),
    }
    return by_school


def _outcomes(q: ReportQueries, figures: Figures) -> None:
    deciding = Decision.objects.filter(incident__in=q.in_period.values("pk"), outcome__in=DECIDING)
    by_kind = dict(DecisionAction.objects.filter(decision__in=deciding.values("pk")).values("kind")
                   .annotate(n=Count("pk")).order_by().values_list("kind", "n"))
    # "No further action" is a decision with no follow-up actions (it cannot be combined with others).
    totals = deciding.annotate(has_actions=Exists(DecisionAction.objects.filter(decision=OuterRef("pk")))) \
        .aggregate(decided=Count("pk"), nfa=Count("pk", filter=Q(has_actions=False)))
    by_kind[ActionKind.NO_FURTHER_ACTION] = totals["nfa"]
    figures.outcomes = {
        "decided": totals["decided"],
        "actions": [{"kind": kind.value, "label": kind.label, "count": by_kind.get(kind.value, 0)}
                    for kind in ACTION_ORDER],
    }


def _medians(q: ReportQueries, figures: Figures) -> None:
    period = q.in_period.values("pk")
    decision = q.in_period.annotate(first_decided=q.first_decided_at()).aggregate(
        days=Median(DaysBetween("first_decided", "logged_at")), n=Count("first_decided"))
    signoff = ChairConsultation.objects.filter(incident__in=period, proposal__isnull=False, signed_off=True) \
        .aggregate(days=Median(DaysBetween("recorded_at", "proposal__proposed_at")), n=Count("pk"))
    # The moment of confirmation is the ban's first history record with the confirmed status.
    history = SiteBan.history.model
    confirmed_at = Subquery(history.objects.filter(id=OuterRef("pk"), status=BanStatus.CONFIRMED)
                            .order_by("history_date").values("history_date")[:1])
    confirmation = SiteBan.objects.filter(incident__in=period).annotate(confirmed_at=confirmed_at) \
        .aggregate(days=Median(DaysBetween("confirmed_at", "created_at")), n=Count("confirmed_at"))
    for median in (decision, signoff, confirmation):
        median["days"] = _days(median["days"])
    figures.medians = [
        {"key": "decision", "label": "From the report to the head's decision", "unit": "cases", **decision},
        {"key": "signoff", "label": "From a proposed ban to the Chair's sign-off", "unit": "sign-offs", **signoff},
        {"key": "confirmation", "label": "From a ban's notice to its confirmation", "unit": "bans", **confirmation},
    ]


def _days(value):
    """Days to one decimal place, as shown (and free of the float noise of SQLite's Julian days)."""
    return None if value is None else round(value, 1)


def _repeat_subjects(q: ReportQueries, figures: Figures, *, names: bool) -> None:
    """People who are the subject of REPEAT_THRESHOLD or more incidents in the twelve months up to `to`.

    Named only where the user holds a role at a school where the person has an incident; otherwise counted."""
    name_ids = sorted(named_school_ids(q.user)) if names else []
    links = IncidentPerson.objects.filter(involvement=Involvement.SUBJECT, incident__in=q.in_window.values("pk"))
    repeat = links.values("person_id").annotate(n=Count("pk")).filter(n__gte=REPEAT_THRESHOLD)
    total = repeat.count()
    named, named_total = [], 0
    if name_ids and total:
        local = (links.values("person_id", "person__full_name")
                 .annotate(n=Count("pk"), here=Count("pk", filter=Q(incident__school_id__in=name_ids)))
                 .filter(n__gte=REPEAT_THRESHOLD, here__gt=0))
        named_total = local.count()
        named = [{"person_id": r["person_id"], "name": r["person__full_name"], "count": r["n"],
                  "url": reverse("incidents:person_detail", args=[r["person_id"]])}
                 for r in local.order_by("-n", "person__full_name", "person_id")[:REPEAT_NAMES_SHOWN]]
    figures.repeat = {"total": total, "named": named, "named_total": named_total, "names_allowed": bool(name_ids),
                      "unnamed": total - named_total, "threshold": REPEAT_THRESHOLD,
                      "start": q.window_start, "end": q.filters.date_to}


def _comparison(q, figures, by_school, period_by_school) -> None:
    schools = report_schools(q.filters.school_ids if q.filters.school is None else {q.filters.school.pk})
    rows = []
    for school in schools:
        now = by_school.get(school.pk, {})
        period = period_by_school.get(school.pk, {})
        scoped = ReportFilter(school_ids=q.filters.school_ids, school=school, category=q.filters.category,
                              date_from=q.filters.date_from, date_to=q.filters.date_to)
        rows.append({
            "school": school,
            "incidents": period.get("incidents", 0), "incidents_url": scoped.period_url(),
            "decided": period.get("decided", 0), "median": _days(period.get("median")),
            "open": now.get("open", 0),
            "overdue": now.get("overdue", 0), "overdue_url": scoped.list_url(overdue="1"),
            "in_force": now.get("in_force", 0), "reviews_due": now.get("reviews_due", 0),
        })
    figures.comparison = rows


# The terms of an English school year by the month each starts: autumn from September, spring from January,
# summer from April (Easter moves; the month it usually falls in is close enough for a count).
TERM_STARTS = ((9, "Autumn"), (4, "Summer"), (1, "Spring"))
TERM_ORDER = {"Autumn": 0, "Spring": 1, "Summer": 2}


def school_term(day: date) -> tuple[int, str]:
    """(the school year's first calendar year, the term's name) of `day`: 15 Jan 2027 is in 2026/27's spring."""
    name = next(name for month, name in TERM_STARTS if day.month >= month)
    return (day.year if day.month >= 9 else day.year - 1), name


def _staff_harmed(q: ReportQueries, figures: Figures) -> None:
    """Staff harmed, physical injuries and RIDDOR reports in the period, per school and term (issue 26).

    One aggregate by school and month, through the harms' case index; months are folded into terms here."""
    rows = (StaffHarm.objects.filter(incident__in=q.in_period.values("pk"))
            .annotate(month=TruncMonth("incident__occurred_at")).values("incident__school__name", "month")
            .annotate(harmed=Count("pk"), injuries=Count("pk", filter=~Q(injury=Injury.NONE)),
                      reportable=Count("riddor_due_on"), reported=Count("riddor_reported_on"))
            .order_by())
    by_term = {}
    for row in rows:
        year, term = school_term(row["month"])
        key = (row["incident__school__name"], year, TERM_ORDER[term])
        totals = by_term.setdefault(key, {"school": key[0], "term": f"{term} {year}/{str(year + 1)[-2:]}",
                                          "harmed": 0, "injuries": 0, "reportable": 0, "reported": 0})
        for name in ("harmed", "injuries", "reportable", "reported"):
            totals[name] += row[name]
    figures.staff_harmed = [by_term[key] for key in sorted(by_term)]
