"""The done-when of issue 26, on the demo: the deputy head's shoulder (8 days off, on Steven Grey's case) puts
a RIDDOR deadline 15 days after the incident in the head's work list; recording the report clears it. Every page
on the way passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conduct.dates import page_date
from incidents.models import StaffHarm
from tests.browser.helpers import assert_accessible, follow, login

pytestmark = pytest.mark.browser


def test_the_head_records_the_riddor_report_and_the_deadline_leaves_the_work_list(page):
    harm = StaffHarm.objects.select_related("incident").get(riddor_due_on__isnull=False)
    due = timezone.localtime(harm.incident.occurred_at).date() + timedelta(days=15)
    login(page, "head")
    section = page.get_by_role("region", name="RIDDOR reports due")
    expect(section).to_contain_text(f"RIDDOR report due by {page_date(due)}")
    expect(section).to_contain_text(harm.incident.reference)
    follow(page, section.get_by_role("link", name=harm.incident.reference))
    assert_accessible(page)
    page.get_by_label("HSE reference").fill("HSE-2026-0042")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.get_by_role("region", name="Staff harmed")).to_contain_text("reference HSE-2026-0042")
    assert_accessible(page)
    page.goto("/")
    # An empty list moves down to "Nothing waiting".
    expect(page.get_by_role("region", name="RIDDOR reports due")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No RIDDOR report is due.")
