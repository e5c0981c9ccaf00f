"""The dashboard's staff harmed table (issue 26): injuries and RIDDOR reports counted per school and term."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from incidents.models import Injury
from incidents.services import staff_harm_record, staff_harm_riddor_report
from reports.figures import school_term


@pytest.mark.parametrize(("day", "term"), [
    (date(2026, 9, 1), (2026, "Autumn")), (date(2026, 12, 31), (2026, "Autumn")),
    (date(2027, 1, 1), (2026, "Spring")), (date(2027, 3, 31), (2026, "Spring")),
    (date(2027, 4, 1), (2026, "Summer")), (date(2027, 8, 31), (2026, "Summer")),
])
def test_a_day_falls_in_its_school_years_term(day, term):
    assert school_term(day) == term


def _harm(personas, incident, *, actor="office", **kwargs):
    values = {"name": "Jo Teacher", "what_happened": "Hurt.", "injury": Injury.MINOR, "days_off": 0} | kwargs
    return staff_harm_record(actor=personas[actor], incident=incident, **values)


def test_injuries_and_riddor_reports_are_counted_per_school_and_term(build, personas, client_as):
    incident = build.case(days_ago=1)
    _harm(personas, incident, injury=Injury.NONE)
    _harm(personas, incident, days_off=4)
    reported = _harm(personas, incident, injury=Injury.OTHER, days_off=20)
    _harm(personas, incident, injury=Injury.OTHER, days_off=8)
    staff_harm_riddor_report(actor=personas["head"], harm=reported, reported_on=timezone.localdate(),
                             reference="HSE-1", made_by="Head")
    other = build.case(school=build.other_school, days_ago=1)
    _harm(personas, other, actor="other_office", days_off=9)
    year, term = school_term(timezone.localtime(incident.occurred_at).date())
    label = f"{term} {year}/{str(year + 1)[-2:]}"
    day = timezone.localdate()
    query = {"from": (day - timedelta(days=30)).isoformat(), "to": day.isoformat()}
    rows = client_as("trust").get("/reports/", query).context["figures"].staff_harmed
    assert rows == [
        {"school": "School One", "term": label, "harmed": 4, "injuries": 3, "reportable": 2, "reported": 1},
        {"school": "School Two", "term": label, "harmed": 1, "injuries": 1, "reportable": 1, "reported": 0},
    ]
    # A head reads their own school's only.
    head = client_as("head").get("/reports/", query)
    assert [r["school"] for r in head.context["figures"].staff_harmed] == ["School One"]
    assert "Reportable under RIDDOR" in head.content.decode()
