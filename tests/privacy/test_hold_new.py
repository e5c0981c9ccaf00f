"""/privacy/cases/<pk>/hold/ and /privacy/holds/<pk>/release/: the head or the DPO holds a case, with a reason."""

from datetime import timedelta

from django.utils import timezone

from privacy import services
from privacy.models import Hold

from .conftest import EVERYONE


def _data(**extra):
    return {"kind": "police", "reason": "Police reference 123.",
            "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(), **extra}


def test_who_may_hold_a_case(build, statuses_of):
    case = build.case()
    assert statuses_of(f"/privacy/cases/{case.pk}/hold/", EVERYONE) == {
        "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login",
    }


def test_the_hold_is_recorded(build, client_for, personas):
    case = build.case()
    response = client_for("head").post(f"/privacy/cases/{case.pk}/hold/", _data())
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    hold = Hold.objects.get()
    assert (hold.incident, hold.kind, hold.placed_by, hold.active) == (case, "police", personas["head"], True)


def test_a_past_review_date_is_refused(build, client_for):
    case = build.case()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert client_for("dpo").post(f"/privacy/cases/{case.pk}/hold/", _data(review_on=past)).status_code == 200
    assert not Hold.objects.exists()


def test_lifting_a_hold(build, client_for, statuses_of, personas):
    case = build.case()
    hold = services.hold_place(actor=personas["head"], incident=case, kind="claim", reason="A claim.",
                               review_on=timezone.localdate() + timedelta(days=5))
    assert statuses_of(f"/privacy/holds/{hold.pk}/release/", EVERYONE) == {
        "office": 404, "senior": 404, "head": 200, "chair": 404, "trust": 404, "dpo": 200,
        "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login",
    }
    response = client_for("dpo").post(f"/privacy/holds/{hold.pk}/release/", {"reason": "The claim was settled."})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.active and hold.release_reason == "The claim was settled."
