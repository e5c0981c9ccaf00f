"""/privacy/requests/<pk>/identity/: the identity check, needed before anything is released."""

from .conftest import EVERYONE
from .test_request_extend import HANDLERS


def test_who_may_record_it(family, make_request, statuses_of):
    request = make_request(identity=False)
    assert statuses_of(f"/privacy/requests/{request.pk}/identity/", EVERYONE) == HANDLERS


def test_the_check_is_recorded(family, make_request, client_for, personas):
    request = make_request(identity=False)
    response = client_for("head").post(f"/privacy/requests/{request.pk}/identity/",
                                       {"identity_method": "photo_id", "identity_notes": "Passport seen."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.identity_method == "photo_id" and request.identity_checked_by == personas["head"]
    assert request.events.last().summary == "Identity checked: Photo identification seen in person"
