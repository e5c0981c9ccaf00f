"""/incidents/<id>/consultation/ and consultation_record: the Chair's consultation on a ban."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.workflow import Stage
from sanctions.models import ChairConsultation, DecisionOutcome, ProposalStatus
from sanctions.responses.services import consultation_record, decision_record

EXPECTED = {
    "office": 403, "senior": 403, "head": 403, "chair": 200, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("sanctions:consultation_new", args=[incident.pk])


def _data(**over):
    return {"consulted_on": timezone.localdate().isoformat(), "method": "meeting", "chair_view": "Justified.",
            "signed_off": "yes", "reasons_not_signed": "", **over}


def test_who_may_open_the_page(build, statuses):
    assert statuses(_url(build.case(stage=Stage.AWAITING_CHAIR))) == EXPECTED


def test_who_may_record(build, statuses):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    assert statuses(_url(incident), "post", _data()) == {**EXPECTED, "chair": 302}
    assert ChairConsultation.objects.filter(incident=incident).count() == 1


def test_the_chair_sees_the_proposal_and_signs_off(build, client_as, personas):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    page = client_as("chair").get(_url(incident)).content.decode()
    assert "Ban from the school site" in page and "Serious risk." in page
    response = client_as("chair").post(_url(incident), _data(method="phone"))
    assert response.status_code == 302
    consultation = ChairConsultation.objects.get()
    assert (consultation.chair, consultation.signed_off, consultation.method) == (personas["chair"], True, "phone")
    incident.refresh_from_db()
    assert incident.stage == Stage.PROPOSED


def test_how_it_took_place_has_no_default(build, client_as):
    """Issue 25: nothing is pre-selected, so a Chair who phoned cannot record "In person" by not looking."""
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    page = client_as("chair").get(_url(incident)).content.decode()
    assert 'name="method" value="meeting"' in page
    assert "checked" not in page.split('name="method"', 1)[1].split("</fieldset>", 1)[0]
    assert "selected" not in page


@pytest.mark.parametrize("method", ["", "carrier pigeon"])
def test_the_chair_must_say_how_it_took_place(build, client_as, personas, method):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    data = _data(method=method) if method else {k: v for k, v in _data().items() if k != "method"}
    response = client_as("chair").post(_url(incident), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Say how the consultation took place." if not method else "Select a valid choice") in page
    assert "Justified." in page  # what the Chair typed is kept
    with pytest.raises(ValidationError, match="Say how the consultation took place"):
        consultation_record(actor=personas["chair"], incident=incident, consulted_on=timezone.localdate(),
                            method=method, chair_view="x", signed_off=True)
    assert not ChairConsultation.objects.exists()
    incident.refresh_from_db()
    assert incident.stage == Stage.AWAITING_CHAIR


def test_not_signing_off_needs_reasons(build, client_as, personas):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    response = client_as("chair").post(_url(incident), _data(signed_off="no", chair_view="Too far."))
    assert "Give your reasons for not signing off the ban." in response.content.decode()
    assert "Too far." in response.content.decode()
    with pytest.raises(ValidationError):
        consultation_record(actor=personas["chair"], incident=incident, consulted_on=timezone.localdate(),
                            method="phone", chair_view="x", signed_off=False, reasons_not_signed=" ")
    assert not ChairConsultation.objects.exists()


def test_a_future_date_is_refused(build, personas):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    with pytest.raises(ValidationError):
        consultation_record(actor=personas["chair"], incident=incident,
                            consulted_on=timezone.localdate() + timedelta(days=1), method="phone",
                            chair_view="x", signed_off=True)


def test_not_signing_off_sends_the_case_back_and_the_head_cannot_approve_the_ban(build, personas):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    build.chair_signs(incident, signed_off=False)
    incident.refresh_from_db()
    proposal = incident.proposals.get()
    assert incident.stage == Stage.PROPOSED and proposal.status == ProposalStatus.CHAIR_DECLINED
    for outcome, actions in ((DecisionOutcome.APPROVED, None), (DecisionOutcome.CHANGED, ["ban", "warning"])):
        with pytest.raises(ValidationError, match="Chair"):
            decision_record(actor=personas["head"], incident=incident, outcome=outcome, reasons="Ban anyway.",
                            actions=actions)
    incident.refresh_from_db()
    assert incident.stage == Stage.PROPOSED and not incident.decisions.exists()
    # The head may change the response to one without a ban.
    decision = decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.CHANGED,
                               actions=["warning"], reasons="A warning instead, as the Chair advised.")
    assert decision.actions == ["warning"] and not decision.includes_ban


def test_the_chair_is_asked_once_per_proposal(build, personas):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    build.chair_signs(incident)
    with pytest.raises(ValidationError, match="not waiting for the Chair"):
        build.chair_signs(incident, signed_off=False)


@pytest.mark.parametrize("persona", ["office", "senior", "head", "trust", "other_head"])
def test_the_service_refuses_everyone_but_the_schools_chair(build, personas, persona):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    with pytest.raises(PermissionDenied):
        consultation_record(actor=personas[persona], incident=incident, consulted_on=timezone.localdate(),
                            method="phone", chair_view="x", signed_off=True)
    assert not ChairConsultation.objects.exists()
    assert mail.outbox == []


def test_a_case_not_waiting_for_the_chair_sends_the_chair_back_to_the_case(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    response = client_as("chair").get(reverse("sanctions:consultation_new", args=[incident.pk]))
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
