"""Every main page for each role passes axe-core (no serious or critical violation)
at a phone's width (375 px) and a desktop's (1280 px), and nothing sticks out sideways."""

import pytest

from tests.browser.helpers import ONE_PER_ROLE, check_page, login, main_pages

pytestmark = pytest.mark.browser


def _check(page, name, problems):
    check_page(page, name, problems)
    # Colour is never the only signal of a stage: every stage badge says it in words.
    if any(not text.strip() for text in page.locator(".stage-badge").all_inner_texts()):
        problems.append(f"{name}: a stage badge without words")


def test_login_page(page):
    problems = []
    page.goto("/accounts/login/")
    _check(page, "login", problems)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", ONE_PER_ROLE)
def test_every_main_page_for_each_role(page, username):
    login(page, username)
    problems = []
    visited = []
    for name in main_pages(page, username):
        visited.append(name)
        _check(page, f"{name} ({page.url})", problems)
    assert {"home", "incidents", "case", "people", "person", "password"} <= set(visited)
    assert not problems, "\n".join(problems)


def test_complaint_pages(page):
    """The complaint pages (issue 26.3) on the demo: the head's page and forms, the set-up page for its days."""
    from sanctions.models import Complaint

    complaint = Complaint.objects.get(complainant__full_name="Joanne Pike")
    login(page, "head")
    problems = []
    for name, url, heading in [("complaint", f"/complaints/{complaint.pk}/", "Complaint from Joanne Pike"),
                               ("complaint outcome", f"/complaints/{complaint.pk}/outcome/", "Record the outcome"),
                               ("complaint new", f"/incidents/{complaint.incident_id}/complaints/new/",
                                "Record a complaint")]:
        page.goto(url)
        assert heading in page.get_by_role("heading", level=1).inner_text()
        _check(page, name, problems)
    login(page, "setup")
    page.goto(f"/setup/trusts/{complaint.incident.school.trust_id}/complaint-days/")
    assert "Days per complaint stage" in page.get_by_role("heading", level=1).inner_text()
    _check(page, "complaint days", problems)
    assert not problems, "\n".join(problems)
