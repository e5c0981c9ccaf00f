"""|when, |day and |iso write what Django's date filter writes, in the site's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

MOMENTS = [
    datetime(2026, 11, 24, 9, 5, tzinfo=UTC),              # winter: London is UTC
    datetime(2026, 7, 1, 23, 30, tzinfo=UTC),              # summer: already 2 July in London
    datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),  # the hour the clocks go forward
    datetime(2027, 1, 1, 0, 0, tzinfo=ZoneInfo("Europe/London")),
    None,
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_they_match_the_date_filter(moment):
    ours = Template('{% load conduct_dates %}{{ t|when }}|{{ t|iso }}|{{ t|day }}').render(Context({"t": moment}))
    djangos = Template('{{ t|date:"j M Y, H:i" }}|{{ t|date:"c" }}|{{ t|date:"j M Y" }}').render(Context({"t": moment}))
    assert ours == djangos


def test_a_summer_evening_is_written_in_london_time():
    text = Template("{% load conduct_dates %}{{ t|when }}").render(Context({"t": MOMENTS[1]}))
    assert text == "2 Jul 2026, 00:30"
