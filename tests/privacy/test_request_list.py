"""/privacy/requests/: the DPO sees every request, a head their school's, nearest deadline first."""

from datetime import timedelta

from django.utils import timezone

from .conftest import EVERYONE


def test_who_may_see_the_list(statuses_of, db, personas):
    assert statuses_of("/privacy/requests/", EVERYONE) == {
        "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 403, "other_head": 200, "inactive": "login", "anonymous": "login",
    }


def test_overdue_first_and_each_head_their_own(family, make_request, personas, dpo, client_for):
    today = timezone.localdate()
    late = make_request(received_on=today - timedelta(days=40), requester_name="Late Larry")
    fresh = make_request(received_on=today, requester_name="Fresh Fay")
    elsewhere = make_request(personas["other_head"], school=family.other_school, requester_name="Other Olga")
    page = client_for("head").get("/privacy/requests/")
    assert [r.pk for r in page.context["page"]] == [late.pk, fresh.pk]
    assert "Overdue" in page.content.decode()
    assert [r.pk for r in client_for("dpo").get("/privacy/requests/").context["page"]] == [late.pk, fresh.pk,
                                                                                           elsewhere.pk]
    assert [r.pk for r in client_for("other_head").get("/privacy/requests/").context["page"]] == [elsewhere.pk]


def test_answered_requests_have_their_own_list(family, make_request, dpo, client_for):
    from privacy import services

    request = make_request(dpo, school=False, person=None)
    services.request_gather(actor=dpo, request=request)
    services.request_release(actor=dpo, request=request)
    assert not list(client_for("dpo").get("/privacy/requests/").context["page"])
    assert [r.pk for r in client_for("dpo").get("/privacy/requests/?answered=1").context["page"]] == [request.pk]


def test_a_paused_request_is_not_counted_down(family, make_request, dpo, client_for):
    from privacy import services

    today = timezone.localdate()
    late = make_request(received_on=today - timedelta(days=40), requester_name="Late Larry")
    services.request_pause(actor=dpo, request=late, reason="clarification", detail="Asked which case.",
                           paused_from=late.deadline)
    page = client_for("head").get("/privacy/requests/").content.decode()
    assert f"Paused since {late.deadline:%-d %b %Y}, waiting for the requester to clarify" in page
    assert "Overdue" not in page
    services.request_resume(actor=dpo, request=late, resumed_on=today)
    page = client_for("head").get("/privacy/requests/").content.decode()
    assert "Overdue" not in page and f"(clock stopped {(today - late.deadline).days} days)" in page
