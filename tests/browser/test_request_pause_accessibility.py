"""The pages of a paused request pass axe-core (no serious or critical violation) at 375 and 1280 px and
nothing sticks out sideways: the request with its stopped clock, the list, the two clock forms, as the DPO."""

from datetime import timedelta

import pytest

from tests.browser.helpers import check_page, follow, login

pytestmark = pytest.mark.browser


def _paused_request():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from conduct.models import School
    from incidents.models import Person
    from privacy import services

    dpo = get_user_model().objects.get(username="dpo")
    today = timezone.localdate()
    person = Person.objects.order_by("pk").first()
    request = services.request_create(
        actor=dpo, school=School.objects.order_by("name").first(), person=person, requester_name=person.full_name,
        reply_to="1 Home Street", received_on=today - timedelta(days=20), channel="email")
    services.request_pause(actor=dpo, request=request, reason="identity", paused_from=today - timedelta(days=15),
                           detail="Asked by email for a copy of photo ID.")
    services.request_resume(actor=dpo, request=request, resumed_on=today - timedelta(days=5),
                            note="A passport scan arrived.")
    services.request_pause(actor=dpo, request=request, reason="clarification", paused_from=today,
                           detail="Asked which school year the request covers.")
    return request


def test_a_paused_request_and_its_clock_forms_are_accessible(page):
    request = _paused_request()
    login(page, "dpo")
    problems = []
    page.goto(f"/privacy/requests/{request.pk}/")
    assert page.get_by_text("Stopped since").is_visible()
    check_page(page, "request", problems)
    follow(page, page.get_by_role("link", name="Restart the clock"))
    check_page(page, "restart the clock", problems)
    page.get_by_role("button", name="Restart the clock").click()
    page.wait_for_load_state()
    follow(page, page.get_by_role("link", name="Stop the clock"))
    check_page(page, "stop the clock", problems)
    page.goto("/privacy/requests/")
    check_page(page, "request list", problems)
    assert not problems, "\n".join(problems)
