"""The reports dashboard passes axe-core (no serious or critical violation) at 375 and 1280 px,
nothing sticks out sideways, and it prints: reached through the "Reports" link as each role with reports."""

import pytest

from tests.browser.helpers import WIDTHS, check_page, login, nav, no_horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["head", "trust"])
def test_reports_dashboard_is_accessible(page, username):
    login(page, username)
    nav(page, "Reports")
    assert page.get_by_role("heading", name="Reports", exact=True).is_visible()
    problems = []
    check_page(page, f"reports ({username})", problems)
    # Each chart is an image with a name, and its numbers are in a table beside it.
    assert page.get_by_role("img", name="Incidents per month, by breach category").count() == 1
    assert page.get_by_role("table", name="Incidents per month, by breach category").count() == 1
    page.emulate_media(media="print")
    assert page.locator("form[aria-label='Choose what the report covers']").is_hidden()
    assert page.locator("svg.chart").first.is_visible()
    page.emulate_media(media="screen")
    assert not problems, "\n".join(problems)


def test_the_monthly_table_fits_its_box_at_1280_and_scrolls_under_its_names_at_375(page):
    """Issue 25: at 1280 px the incidents-by-category table needs no sideways scroll; at 375 px its months
    scroll inside their labelled region, and the category names stay in view."""
    login(page, "trust")
    nav(page, "Reports")
    region = page.get_by_role("region", name="Incidents per month, table")
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the table scrolls sideways at 1280 px"
    page.set_viewport_size({"width": WIDTHS["narrow"], "height": 900})
    name = region.get_by_role("rowheader").first
    left = name.bounding_box()["x"]
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    assert abs(name.bounding_box()["x"] - left) < 1, "the category names scrolled away"
    assert no_horizontal_overflow(page)


def test_office_has_no_reports_link(page):
    login(page, "office")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").count() == 0
