"""/privacy/requests/<pk>/pause/: only the DPO stops a request's clock, saying what they wait for."""

from datetime import timedelta

from django.utils import timezone

from .conftest import EVERYONE

DPO_ONLY = {"office": 404, "senior": 404, "head": 403, "chair": 404, "trust": 404, "dpo": 200, "other_office": 404,
            "other_head": 404, "inactive": "login", "anonymous": "login"}


def _form(paused_from, reason="identity", detail="Asked by email for photo ID."):
    return {"reason": reason, "detail": detail, "paused_from": paused_from.isoformat()}


def test_who_may_stop_the_clock(family, make_request, statuses_of):
    request = make_request()
    assert statuses_of(f"/privacy/requests/{request.pk}/pause/", EVERYONE) == DPO_ONLY
    # The head who handles the request is refused on POST too, and the clock runs on.
    assert statuses_of(f"/privacy/requests/{request.pk}/pause/", ["head", "other_head"], method="post",
                       data=_form(timezone.localdate())) == {"head": 403, "other_head": 404}
    request.refresh_from_db()
    assert not request.paused


def test_the_dpo_stops_the_clock_and_the_request_page_says_why(family, make_request, client_for):
    today = timezone.localdate()
    request = make_request(received_on=today - timedelta(days=3))
    response = client_for("dpo").post(f"/privacy/requests/{request.pk}/pause/", _form(today - timedelta(days=1)))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.paused_since == today - timedelta(days=1)
    page = client_for("dpo").get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "Stopped since" in page and "waiting for the requester&#x27;s proof of identity" in page
    assert "Asked by email for photo ID." in page and "Restart the clock" in page
    head_page = client_for("head").get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "Stopped since" in head_page and "Restart the clock" not in head_page
    assert "Stop the clock" not in head_page


def test_dates_out_of_bounds_keep_the_form(family, make_request, client_for):
    today = timezone.localdate()
    request = make_request(received_on=today - timedelta(days=3))
    url = f"/privacy/requests/{request.pk}/pause/"
    for data in (_form(today + timedelta(days=1)), _form(today - timedelta(days=4)),
                 {**_form(today), "paused_from": "9999-12-31"}, {**_form(today), "paused_from": "2026-02-30"},
                 _form(today, reason="holiday"), _form(today, detail="x" * 2001), _form(today, detail="")):
        response = client_for("dpo").post(url, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    request.refresh_from_db()
    assert not request.paused and not request.pauses.exists()


def test_a_paused_request_cannot_be_paused_again(family, make_request, client_for):
    today = timezone.localdate()
    request = make_request()
    client_for("dpo").post(f"/privacy/requests/{request.pk}/pause/", _form(today))
    response = client_for("dpo").post(f"/privacy/requests/{request.pk}/pause/", _form(today, reason="clarification"))
    assert response.status_code == 200
    assert "already stopped" in response.content.decode()
    assert request.pauses.count() == 1
