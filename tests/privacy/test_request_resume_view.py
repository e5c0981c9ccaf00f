"""/privacy/requests/<pk>/resume/: the DPO restarts a stopped clock; the deadline moves on by the days stopped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy import services

from .conftest import EVERYONE
from .test_request_pause_view import DPO_ONLY


@pytest.fixture
def paused(family, make_request, dpo):
    today = timezone.localdate()
    request = make_request(received_on=today - timedelta(days=20))
    services.request_pause(actor=dpo, request=request, reason="clarification", paused_from=today - timedelta(days=15),
                           detail="Asked which of the two cases the request is about.")
    return request


def test_who_may_restart_the_clock(paused, statuses_of):
    assert statuses_of(f"/privacy/requests/{paused.pk}/resume/", EVERYONE) == DPO_ONLY
    assert statuses_of(f"/privacy/requests/{paused.pk}/resume/", ["head", "other_head"], method="post",
                       data={"resumed_on": timezone.localdate().isoformat()}) == {"head": 403, "other_head": 404}
    paused.refresh_from_db()
    assert paused.paused


def test_paused_ten_days_the_answer_is_due_ten_days_later(paused, client_for):
    before = paused.deadline
    resumed_on = timezone.localdate() - timedelta(days=5)
    response = client_for("dpo").post(f"/privacy/requests/{paused.pk}/resume/", {
        "resumed_on": resumed_on.isoformat(), "note": "They meant the case at the gate."}, follow=True)
    paused.refresh_from_db()
    assert paused.deadline == before + timedelta(days=10) and not paused.paused
    page = response.content.decode()
    assert f"the answer is due by {paused.deadline:%-d %b %Y}" in page
    assert "the clock stopped 10 days, so the answer is due by" in page
    timeline = [e["summary"] for e in response.context["events"]]
    assert any("Clock stopped from" in s and "waiting for the requester to clarify" in s for s in timeline)
    assert any("Clock restarted" in s and "after 10 days" in s for s in timeline)
    assert "Asked which of the two cases the request is about." in page
    assert "They meant the case at the gate." in page


def test_not_before_it_stopped_nor_after_today(paused, client_for):
    today = timezone.localdate()
    for resumed_on in (today - timedelta(days=16), today + timedelta(days=1), "10000-01-01", "tomorrow"):
        value = resumed_on if isinstance(resumed_on, str) else resumed_on.isoformat()
        response = client_for("dpo").post(f"/privacy/requests/{paused.pk}/resume/", {"resumed_on": value})
        assert response.status_code == 200, value
        assert response.context["form"].errors, value
    paused.refresh_from_db()
    assert paused.paused


def test_a_running_clock_says_so(family, make_request, client_for):
    request = make_request()
    response = client_for("dpo").get(f"/privacy/requests/{request.pk}/resume/")
    assert "The clock is running" in response.content.decode()
    response = client_for("dpo").post(f"/privacy/requests/{request.pk}/resume/",
                                      {"resumed_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "no pause to end" in response.content.decode()
