"""/privacy/requests/<pk>/extend/: the handler extends the deadline once, with the reason."""

from datetime import timedelta

from .conftest import EVERYONE

HANDLERS = {"office": 404, "senior": 404, "head": 200, "chair": 404, "trust": 404, "dpo": 200, "other_office": 404,
            "other_head": 404, "inactive": "login", "anonymous": "login"}


def test_who_may_extend(family, make_request, statuses_of):
    request = make_request()
    assert statuses_of(f"/privacy/requests/{request.pk}/extend/", EVERYONE) == HANDLERS


def test_the_extension_is_recorded(family, make_request, client_for):
    request = make_request()
    new = request.due_on + timedelta(days=20)
    response = client_for("head").post(f"/privacy/requests/{request.pk}/extend/",
                                       {"extended_to": new.isoformat(), "reason": "A complex request."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.extended_to, request.deadline, request.extension_reason) == (new, new, "A complex request.")


def test_too_late_a_date_is_refused_with_the_form_kept(family, make_request, client_for):
    request = make_request()
    response = client_for("dpo").post(f"/privacy/requests/{request.pk}/extend/", {
        "extended_to": (request.due_on + timedelta(days=90)).isoformat(), "reason": "Complex."})
    assert response.status_code == 200
    assert "two further months" in response.content.decode()
    request.refresh_from_db()
    assert request.extended_to is None
