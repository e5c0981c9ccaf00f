"""No ban can be decided without the Chair's sign-off, by any route."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conduct.models import StaffRole
from incidents.services import incident_transition
from incidents.workflow import Stage
from sanctions.models import ChairConsultation, Decision, DecisionOutcome, Proposal, ProposalStatus
from sanctions.responses.services import decision_record, proposal_submit


@pytest.fixture
def ban_waiting(build):
    return build.case(stage=Stage.AWAITING_CHAIR)


def _stage(incident):
    incident.refresh_from_db()
    return incident.stage


def test_the_page_post_cannot_decide_before_the_chair(ban_waiting, client_as):
    url = reverse("sanctions:decision_new", args=[ban_waiting.pk])
    client_as("head").post(url, {"outcome": "approved", "reasons": "Now."})
    client_as("head").post(url, {"outcome": "changed", "actions": ["ban"], "reasons": "Now."})
    assert not Decision.objects.exists() and _stage(ban_waiting) == Stage.AWAITING_CHAIR


def test_the_service_cannot_decide_before_the_chair(ban_waiting, personas):
    with pytest.raises(ValidationError):
        decision_record(actor=personas["head"], incident=ban_waiting, outcome="approved", reasons="Now.")
    assert not Decision.objects.exists() and _stage(ban_waiting) == Stage.AWAITING_CHAIR


def test_the_head_cannot_add_a_ban_the_chair_never_saw(build, personas):
    incident = build.case(stage=Stage.PROPOSED)  # a warning letter, no ban
    with pytest.raises(ValidationError, match="Chair of the Local Academy Board to sign off"):
        decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.CHANGED,
                        actions=["warning", "ban"], reasons="A ban too.")
    assert not Decision.objects.exists()


def test_a_page_post_cannot_add_a_ban_the_chair_never_saw(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    response = client_as("head").post(reverse("sanctions:decision_new", args=[incident.pk]),
                                      {"outcome": "changed", "actions": ["ban"], "reasons": "Ban."})
    assert "sign off first" in response.content.decode()
    assert not Decision.objects.exists()


def test_calling_the_transition_directly_cannot_decide(ban_waiting, personas):
    for name in ("head", "chair", "senior"):
        with pytest.raises(ValidationError, match="cannot move"):
            incident_transition(actor=personas[name], incident=ban_waiting, to_stage=Stage.DECIDED)
    for name in ("head", "senior"):
        with pytest.raises(PermissionDenied):
            incident_transition(actor=personas[name], incident=ban_waiting, to_stage=Stage.PROPOSED)
    with pytest.raises(ValidationError, match="has not recorded the consultation"):
        incident_transition(actor=personas["chair"], incident=ban_waiting, to_stage=Stage.PROPOSED)
    assert _stage(ban_waiting) == Stage.AWAITING_CHAIR


def test_a_sign_off_for_an_earlier_proposal_does_not_cover_a_revised_one(build, personas):
    incident = build.case(stage=Stage.PROPOSED, ban=True)  # signed off
    proposal_submit(actor=personas["senior"], incident=incident, actions=["ban", "authorities"],
                    rationale="Revised.", ban_justification="Risk.")
    assert _stage(incident) == Stage.AWAITING_CHAIR
    with pytest.raises(ValidationError):
        decision_record(actor=personas["head"], incident=incident, outcome="approved", reasons="R")


def test_a_signed_off_ban_cannot_be_sent_back_to_the_chair_bare_to_collect_a_no(build, personas):
    incident = build.case(stage=Stage.PROPOSED, ban=True)
    with pytest.raises(ValidationError):
        incident_transition(actor=personas["senior"], incident=incident, to_stage=Stage.AWAITING_CHAIR)
    assert _stage(incident) == Stage.PROPOSED


def test_the_chairs_latest_word_counts(build, personas):
    """Should a proposal ever hold a yes and then a no, the no wins."""
    incident = build.case(stage=Stage.PROPOSED, ban=True)
    proposal = incident.proposals.get()
    first = ChairConsultation.objects.get()
    ChairConsultation.objects.create(incident=incident, proposal=proposal, chair=personas["chair"],
                                     consulted_on=first.consulted_on, method="phone", chair_view="On reflection",
                                     signed_off=False, reasons_not_signed="Changed my mind.")
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.CHAIR_DECLINED)
    with pytest.raises(ValidationError):
        decision_record(actor=personas["head"], incident=incident, outcome="approved", reasons="R")
    assert not Decision.objects.exists()


def test_the_database_refuses_a_ban_decision_without_a_consultation(build, personas):
    incident = build.case(stage=Stage.PROPOSED, ban=True)
    proposal = incident.proposals.get()
    with pytest.raises(IntegrityError, match="decision_ban_needs_consultation"), transaction.atomic():
        Decision.objects.create(incident=incident, proposal=proposal, head=personas["head"],
                                outcome="approved", actions=["ban"], reasons="Raw insert", includes_ban=True)
    decision = Decision.objects.create(incident=incident, proposal=proposal, head=personas["head"],
                                       outcome="approved", actions=["ban"], reasons="Raw insert", includes_ban=True,
                                       consultation=ChairConsultation.objects.get())
    with pytest.raises(IntegrityError, match="decision_ban_needs_consultation"), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(consultation=None)


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "admin-pw-long-enough")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["decision", "chairconsultation", "proposal", "decisionaction"])
def test_the_admin_cannot_add_or_change_case_records(admin_client, build, model):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    obj = {"decision": Decision, "chairconsultation": ChairConsultation, "proposal": Proposal}.get(model)
    pk = obj.objects.first().pk if obj else incident.decisions.get().followups.first().pk
    base = f"/admin/sanctions/{model}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base + "add/").status_code == 403
    assert admin_client.post(base + "add/", {"incident": incident.pk}).status_code == 403
    change = admin_client.post(f"{base}{pk}/change/", {"reasons": "Edited in admin", "signed_off": "on"})
    assert change.status_code == 403
    assert admin_client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_admin_cannot_move_an_incidents_stage(admin_client, build):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    response = admin_client.post(f"/admin/incidents/incident/{incident.pk}/change/", {"stage": "decided"})
    assert response.status_code == 403
    assert _stage(incident) == Stage.AWAITING_CHAIR


def test_a_staff_user_who_is_not_a_superuser_gets_no_admin(build, personas):
    head = personas["head"]
    head.is_staff = True
    head.save()
    client = Client()
    client.force_login(head)
    assert client.get("/admin/sanctions/decision/add/").status_code in (403, 404)
    assert StaffRole.objects.filter(user=head).exists()


def test_a_decided_ban_names_the_signed_off_consultation_dated_before_it(build):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    decision = incident.decisions.get()
    assert decision.includes_ban and decision.consultation.signed_off
    assert decision.consultation.proposal_id == decision.proposal_id
    assert decision.consultation.consulted_on <= timezone.localtime(decision.decided_at).date()
