"""/privacy/retention/ (the schedule and the holds) and /privacy/retention/schedule/ (the DPO sets it)."""

from privacy.models import RetentionPolicy
from privacy.retention import DEFAULTS

from .conftest import EVERYONE


def test_who_sees_the_schedule(statuses_of, db, personas):
    assert statuses_of("/privacy/retention/", EVERYONE) == {
        "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 403, "other_head": 200, "inactive": "login", "anonymous": "login",
    }


def test_the_defaults_are_shown_with_their_reasons(db, personas, client_for):
    page = client_for("head").get("/privacy/retention/").content.decode()
    assert "72 months" in page and "(default)" in page and "Limitation Act 1980" in page
    assert "Change the schedule" not in page
    assert "Change the schedule" in client_for("dpo").get("/privacy/retention/").content.decode()


def test_only_the_dpo_sets_the_schedule(statuses_of, db, personas):
    assert statuses_of("/privacy/retention/schedule/", EVERYONE) == {
        "office": 403, "senior": 403, "head": 403, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 403, "other_head": 403, "inactive": "login", "anonymous": "login",
    }


def test_the_dpo_changes_a_period_with_its_reason(school, personas, client_for, dpo):
    data = {}
    for record_type, (months, reason) in DEFAULTS.items():
        data[f"{record_type.value}_months"] = months
        data[f"{record_type.value}_reason"] = reason
    data["evidence_months"] = 24
    data["evidence_reason"] = "The trust's legal advisers asked for two years."
    response = client_for("dpo").post("/privacy/retention/schedule/", data)
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get()
    assert (policy.record_type, policy.months, policy.set_by, policy.trust) == ("evidence", 24, dpo, school.trust)
    assert "two years" in client_for("dpo").get("/privacy/retention/").content.decode()


def test_a_period_needs_a_reason(school, personas, client_for):
    data = {f"{t.value}_months": m for t, (m, _r) in DEFAULTS.items()}
    data |= {f"{t.value}_reason": "" for t in DEFAULTS}
    assert client_for("dpo").post("/privacy/retention/schedule/", data).status_code == 200
    assert not RetentionPolicy.objects.exists()
