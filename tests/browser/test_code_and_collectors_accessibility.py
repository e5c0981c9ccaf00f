"""The person page's code of conduct and collection section and its three forms (issue 26) pass axe-core at
375 and 1280 px and fit the window: reached by clicking, as All Saints' office, on the demo's Dean Shaw."""

import pytest

from tests.browser.helpers import check_page, follow, login, nav

pytestmark = pytest.mark.browser


def test_the_section_and_its_forms_are_accessible(page):
    login(page, "office")
    nav(page, "People")
    page.get_by_label("Search by name").fill("Dean Shaw")
    follow(page, page.get_by_role("button", name="Search"))
    follow(page, page.get_by_role("link", name="Dean Shaw", exact=True))
    section = page.get_by_role("region", name="Code of conduct and collection")
    assert "in the admission pack" in section.inner_text() and "Maureen Shaw" in section.inner_text()
    problems = []
    check_page(page, "person", problems)
    person_url = page.url
    follow(page, page.get_by_role("link", name="Record the code of conduct given"))
    follow(page, page.get_by_role("button", name="Save", exact=True))  # empty: the page with its errors
    assert page.get_by_role("alert").is_visible()
    check_page(page, "code given, with errors", problems)
    page.goto(person_url)
    follow(page, page.get_by_role("link", name="Add someone who collects"))
    check_page(page, "collector new", problems)
    page.goto(person_url)
    follow(page, page.get_by_role("link", name="Edit Maureen Shaw"))
    check_page(page, "collector edit", problems)
    assert not problems, "\n".join(problems)
