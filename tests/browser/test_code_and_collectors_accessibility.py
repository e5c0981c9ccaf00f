"""The person page's code of conduct and collection section and its three forms (issue 26) pass axe-core at
375 and 1280 px and fit the window: reached by clicking, as All Saints' office, on the demo's Dean Shaw."""

import pytest

from tests.browser.helpers import WIDTHS, axe_violations, follow, login, nav, no_horizontal_overflow

pytestmark = pytest.mark.browser


def _check(page, name, problems):
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        for v in axe_violations(page):
            problems.append(f"{name} at {width}px: {v['id']} ({v['impact']}) {v['help']}: "
                            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4]))
        if not no_horizontal_overflow(page):
            problems.append(f"{name} at {width}px: the page is wider than the window")
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})


def test_the_section_and_its_forms_are_accessible(page):
    login(page, "office")
    nav(page, "People")
    page.get_by_label("Search by name").fill("Dean Shaw")
    follow(page, page.get_by_role("button", name="Search"))
    follow(page, page.get_by_role("link", name="Dean Shaw", exact=True))
    section = page.get_by_role("region", name="Code of conduct and collection")
    assert "in the admission pack" in section.inner_text() and "Maureen Shaw" in section.inner_text()
    problems = []
    _check(page, "person", problems)
    person_url = page.url
    follow(page, page.get_by_role("link", name="Record the code of conduct given"))
    follow(page, page.get_by_role("button", name="Save", exact=True))  # empty: the page with its errors
    assert page.get_by_role("alert").is_visible()
    _check(page, "code given, with errors", problems)
    page.goto(person_url)
    follow(page, page.get_by_role("link", name="Add someone who collects"))
    _check(page, "collector new", problems)
    page.goto(person_url)
    follow(page, page.get_by_role("link", name="Edit Maureen Shaw"))
    _check(page, "collector edit", problems)
    assert not problems, "\n".join(problems)
