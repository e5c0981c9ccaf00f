"""POST /privacy/redactions/<pk>/: a reviewer releases or keeps a name, with a reason."""

import pytest

from privacy import services
from privacy.models import Redaction

from .conftest import EVERYONE


@pytest.fixture
def redaction(family, make_request, personas):
    request = make_request()
    services.request_gather(actor=personas["head"], request=request)
    return Redaction.objects.filter(item__request=request, term="Wendy Witness").first()


def test_who_may_decide(redaction, statuses_of):
    seen = statuses_of(f"/privacy/redactions/{redaction.pk}/", EVERYONE, method="post",
                       data={"decision": "keep", "reason": "A witness."})
    assert seen == {"office": 404, "senior": 404, "head": 302, "chair": 404, "trust": 404, "dpo": 302,
                    "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login"}


def test_the_decision_records_who_and_why(redaction, client_for, personas):
    response = client_for("head").post(f"/privacy/redactions/{redaction.pk}/", {
        "decision": "release", "reason": "Wendy agreed in writing.",
        "next": f"/privacy/requests/{redaction.item.request_id}/review/?page=1"})
    assert response["Location"] == (f"/privacy/requests/{redaction.item.request_id}/review/?page=1"
                                    f"#item-{redaction.item_id}")
    redaction.refresh_from_db()
    assert (redaction.decision, redaction.decided_by, redaction.reason) == (
        "release", personas["head"], "Wendy agreed in writing.")
    assert redaction.item.request.events.last().kind == "redaction"


def test_no_reason_no_decision(redaction, client_for):
    client_for("head").post(f"/privacy/redactions/{redaction.pk}/", {"decision": "release", "reason": ""})
    redaction.refresh_from_db()
    assert redaction.decision == "keep" and redaction.decided_by is None


def test_the_next_address_stays_on_this_site(redaction, client_for):
    response = client_for("head").post(f"/privacy/redactions/{redaction.pk}/", {
        "decision": "keep", "reason": "Witness.", "next": "https://evil.example/privacy/"})
    assert response["Location"].startswith(f"/privacy/records/{redaction.item_id}/")


def test_the_timeline_step_names_the_records_school(redaction, client_for, family):
    client_for("head").post(f"/privacy/redactions/{redaction.pk}/", {"decision": "keep", "reason": "A witness."})
    event = redaction.item.request.events.last()
    assert (event.kind, event.school_id) == ("redaction", redaction.item.school_id)
    assert event.school_id == family.school.pk
