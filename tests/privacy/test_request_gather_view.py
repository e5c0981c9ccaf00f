"""POST /privacy/requests/<pk>/gather/: one click gathers everything the user may gather."""

from privacy.models import PackItem, RequestStatus

from .conftest import EVERYONE


def test_who_may_gather(family, make_request, statuses_of):
    request = make_request()
    # The DPO last: once the DPO has gathered Pat's case at the second school, its head is admitted
    # to that part of the request.
    everyone = [p for p in EVERYONE if p != "dpo"] + ["dpo"]
    seen = statuses_of(f"/privacy/requests/{request.pk}/gather/", everyone, method="post")
    assert seen == {"office": 404, "senior": 404, "head": 302, "chair": 404, "trust": 404, "dpo": 302,
                    "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login"}
    assert statuses_of(f"/privacy/requests/{request.pk}/gather/", ["head"]) == {"head": 405}


def test_gathering_leads_to_the_review(family, make_request, client_for):
    request = make_request()
    response = client_for("dpo").post(f"/privacy/requests/{request.pk}/gather/")
    assert response["Location"] == f"/privacy/requests/{request.pk}/review/"
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW and PackItem.objects.filter(request=request).exists()
