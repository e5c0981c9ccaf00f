"""POST /privacy/records/<pk>/decide/: the head decides on a pupil's own account; the reviewer on a file."""

import pytest

from privacy import services
from privacy.models import ItemKind, PackItem

from .conftest import EVERYONE


@pytest.fixture
def gathered(family, make_request, dpo):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    return request


def _post(client, item, decision="withhold"):
    return client.post(f"/privacy/records/{item.pk}/decide/", {f"item{item.pk}-decision": decision,
                                                               f"item{item.pk}-reason": "The child's account."})


def test_only_the_schools_head_decides_on_a_pupils_account(gathered, statuses_of):
    pupil = PackItem.objects.get(request=gathered, kind=ItemKind.STATEMENT, needs_head_decision=True)
    url = f"/privacy/records/{pupil.pk}/decide/"
    data = {f"item{pupil.pk}-decision": "withhold", f"item{pupil.pk}-reason": "The child's account."}
    seen = statuses_of(url, EVERYONE, method="post", data=data)
    # The request is the trust's: the first school's head reaches their school's part of it.
    assert seen == {"office": 404, "senior": 404, "head": 302, "chair": 404, "trust": 404, "dpo": 403,
                    "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login"}


def test_the_heads_decision_is_recorded(gathered, client_for, personas):
    pupil = PackItem.objects.get(request=gathered, kind=ItemKind.STATEMENT, needs_head_decision=True)
    _post(client_for("head"), pupil, "release")
    pupil.refresh_from_db()
    assert (pupil.decision, pupil.decided_by) == ("release", personas["head"])


def test_the_dpo_releases_an_evidence_file(gathered, client_for, dpo):
    evidence = PackItem.objects.get(request=gathered, kind=ItemKind.EVIDENCE)
    _post(client_for("dpo"), evidence, "release")
    evidence.refresh_from_db()
    assert (evidence.decision, evidence.decided_by) == ("release", dpo)


def test_a_record_that_needs_no_decision_is_refused_with_a_message(gathered, client_for):
    incident = PackItem.objects.filter(request=gathered, kind=ItemKind.INCIDENT).first()
    response = _post(client_for("dpo"), incident, "withhold")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.decision == ""


def test_the_timeline_step_names_the_records_school(gathered, family, client_for):
    evidence = PackItem.objects.get(request=gathered, kind=ItemKind.EVIDENCE)
    client_for("dpo").post(f"/privacy/records/{evidence.pk}/decide/", {
        f"item{evidence.pk}-decision": "withhold", f"item{evidence.pk}-reason": "It shows Olive's car."})
    event = gathered.events.last()
    assert (event.kind, event.school_id, event.note) == ("decision", family.school.pk, "It shows Olive's car.")
