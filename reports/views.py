"""The dashboard, the termly board report (PDF) and the incidents export (CSV).

Read-only: GET and HEAD only (405 otherwise). A user with no report role gets
a 404 for every one of them; a school the user may not read is refused by the
filter form before any number is counted.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from conduct.audit import audit_log
from conduct.permissions import is_trust_reader
from incidents.forms import IncidentFilterForm
from incidents.selectors import filter_incidents, people_for
from reports import charts
from reports.access import named_school_ids, report_incidents, report_schools, require_report_schools
from reports.course_of_conduct import occasions_across_the_trust, with_names
from reports.exports import incident_csv_lines
from reports.figures import ReportFilter, build_figures
from reports.forms import ReportFilterForm
from sanctions.letters.rendering import logo_data_uri, render_pdf

# The board report lists the period's cases by reference, up to this many (a term of one school is fewer).
BOARD_CASES_LISTED = 80


def _filters(form, school_ids, school=None) -> ReportFilter:
    data = form.cleaned_data
    return ReportFilter(school_ids=frozenset(school_ids), school=school or data["school"],
                        category=data["category"], date_from=data["from"], date_to=data["to"])


def _chart_context(figures) -> dict:
    series = [{"label": c["category"].name, "colour": c["colour"], "counts": c["counts"]}
              for c in figures.monthly["categories"]]
    return {
        "monthly": charts.stacked_columns(figures.months, series),
        "stages": charts.horizontal_bars([{"label": s["label"], "count": s["count"]}
                                          for s in figures.open_cases["stages"]]),
        "outcomes": charts.horizontal_bars(
            [{"label": charts.SHORT_ACTION_LABELS[a["kind"]], "count": a["count"]}
             for a in figures.outcomes["actions"]], colour="#2b6b4f"),
    }


def _outcome_rows(figures) -> list:
    return [{**a, "short": charts.SHORT_ACTION_LABELS[a["kind"]]} for a in figures.outcomes["actions"]]


def _period_params(filters: ReportFilter, **names) -> str:
    """The same scope as query parameters, for the report's own links (from/to) or the list's (date_from/date_to)."""
    params = {}
    if filters.school is not None:
        params["school"] = filters.school.pk
    params[names.get("from", "from")] = filters.date_from.isoformat()
    params[names.get("to", "to")] = filters.date_to.isoformat()
    if filters.category is not None:
        params["category"] = filters.category.pk
    return urlencode(params)


def _cached_figures(user, filters: ReportFilter, *, compare: bool):
    """The dashboard's figures, computed at most once per REPORT_CACHE_SECONDS for the same scope and filters.

    The aggregates read a trust's whole year; a page asked for again and again
    (every head at the start of a board meeting) reuses the figures in the
    cache every app server shares. The key is everything the figures depend
    on: the schools counted, the schools whose people may be named, the
    filters and today's date. The page says when the figures were counted.
    """
    today = timezone.localdate()
    scope = (sorted(filters.school_ids), sorted(named_school_ids(user)),
             filters.school.pk if filters.school else None, filters.category.pk if filters.category else None,
             filters.date_from.isoformat(), filters.date_to.isoformat(), compare, today.isoformat())
    key = "reports:dashboard:" + hashlib.sha256(repr(scope).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        cached = (build_figures(user, filters, today=today, compare=compare), timezone.now())
        cache.set(key, cached, settings.REPORT_CACHE_SECONDS)
    return cached


@require_safe
def dashboard(request):
    school_ids = require_report_schools(request.user)
    schools = report_schools(school_ids)
    form = ReportFilterForm(request.GET, schools=schools)
    context = {"form": form, "many_schools": len(school_ids) > 1}
    if form.is_valid():
        filters = _filters(form, school_ids)
        figures, counted_at = _cached_figures(request.user, filters,
                                              compare=len(school_ids) > 1 and filters.school is None)
        board_school = filters.school or (schools[0] if len(school_ids) == 1 else None)
        context.update({
            "figures": figures, "counted_at": counted_at, "charts": _chart_context(figures),
            "outcome_rows": _outcome_rows(figures),
            "filters": filters, "board_school": board_school,
            "board_query": _period_params(filters) if board_school else "",
            "csv_query": _period_params(filters, **{"from": "date_from", "to": "date_to"}),
        })
    return render(request, "reports/dashboard.html", context)


def _refuse(form):
    # A school (or person) the user may not read is a 404: the answer must not confirm it exists.
    if "school" in form.errors or "person" in form.errors:
        raise Http404("No such school among yours.")
    return HttpResponseBadRequest("The filters are not valid: " + "; ".join(
        f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()), content_type="text/plain")


@require_safe
def board_pdf(request):
    """One school, one period: the dashboard's numbers for the Local Academy Board, with no names."""
    school_ids = require_report_schools(request.user)
    schools = report_schools(school_ids)
    form = ReportFilterForm(request.GET, schools=schools)
    if not form.is_valid():
        return _refuse(form)
    school = form.cleaned_data["school"] or (schools[0] if len(school_ids) == 1 else None)
    if school is None:
        return HttpResponseBadRequest("Choose one school for the board report.", content_type="text/plain")
    filters = _filters(form, school_ids, school=school)
    figures = build_figures(request.user, filters, names=False, cases=BOARD_CASES_LISTED)
    context = {
        "school": school, "logo": logo_data_uri(school), "figures": figures, "charts": _chart_context(figures),
        "outcome_rows": _outcome_rows(figures), "filters": filters, "generated_on": timezone.localdate(),
    }
    pdf = render_pdf("reports/board_report.html", context)
    audit_log(request.user, "report_board_pdf", school, date_from=filters.date_from, date_to=filters.date_to,
              category=filters.category.pk if filters.category else "-")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"board-report-{school.code}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def incidents_csv(request):
    """The incident list (its own filters) as CSV, one row per incident."""
    user = request.user
    school_ids = require_report_schools(user)
    form = IncidentFilterForm(request.GET or None, schools=report_schools(school_ids), people=people_for(user))
    data = {}
    if form.is_bound:
        if not form.is_valid():
            return _refuse(form)
        data = form.cleaned_data
    incidents = filter_incidents(report_incidents(user, school_ids), data, user=user).order_by("-occurred_at", "-pk")
    filters = urlencode(sorted((k, v) for k, v in request.GET.items() if v)) or "-"
    audit_log(user, "export_incidents_csv", filters=filters)
    response = StreamingHttpResponse(incident_csv_lines(incidents, named_school_ids=named_school_ids(user)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incidents-{timezone.localdate():%Y%m%d}.csv"'
    return response


@require_safe
def course_of_conduct(request):
    """The trust's course-of-conduct view: per adult, how many schools and occasions across the trust (issue 21.5).
    Trust-wide readers only (trust oversight, the DPO); a school's own staff get a 404."""
    if not is_trust_reader(request.user):
        raise Http404("No such report for this account.")
    audit_log(request.user, "report_course_of_conduct")
    return render(request, "reports/course_of_conduct.html", _cached_course_of_conduct())


def _cached_course_of_conduct() -> dict:
    """The course-of-conduct counts, made at most once per REPORT_CACHE_SECONDS a day: they read a year
    of the trust's incidents (some 300 ms at 200,000), and every trust reader sees the same table. The
    names are read on every request."""
    today = timezone.localdate()
    key = f"reports:course_of_conduct:{today.isoformat()}"
    cached = cache.get(key)
    if cached is None:
        cached = occasions_across_the_trust(today=today) | {"counted_at": timezone.now()}
        cache.set(key, cached, settings.REPORT_CACHE_SECONDS)
    return with_names(cached)
