"""Responses, the Chair's consultation, the head's decision and follow-up actions.

Each service checks its own rules and then asks incidents' one stage function
to move the case. The same rules are registered as preconditions on that
function, so calling it directly cannot skip them either.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.history import save_with_history
from conduct.notifications import notify_role
from conduct.permissions import require_school_role
from conduct.roles import CASE_LEADERS, Role
from incidents.models import CaseEvent, Incident, Involvement
from incidents.services import event_record, incident_transition, lock_incident
from incidents.workflow import Stage, register_precondition
from sanctions.models import (
    ActionKind,
    ChairConsultation,
    ConsultationMethod,
    Decision,
    DecisionAction,
    DecisionOutcome,
    Proposal,
    ProposalStatus,
)

OPEN_PROPOSAL_STATUSES = (ProposalStatus.PENDING, ProposalStatus.CHAIR_DECLINED)


def current_proposal(incident) -> Proposal | None:
    return (
        Proposal.objects.filter(incident=incident, status__in=OPEN_PROPOSAL_STATUSES)
        .select_related("proposed_by")
        .order_by("-proposed_at", "-pk")
        .first()
    )


def signed_off_consultation(proposal) -> ChairConsultation | None:
    """The Chair's sign-off of this proposal: only if their latest word on it is a yes."""
    latest = ChairConsultation.objects.filter(proposal=proposal).order_by("-recorded_at", "-pk").first()
    return latest if latest is not None and latest.signed_off else None


def signed_off_by_the_chair(consultation, school) -> bool:
    """A yes from someone who is the Chair of `school`'s Local Academy Board."""
    return bool(consultation.signed_off) and consultation.chair.staff_roles.filter(
        school=school, role=Role.CHAIR).exists()


def earlier_record(incident):
    """Earlier incidents of this case's subjects, anywhere in the trust."""
    subject_ids = incident.person_links.filter(involvement=Involvement.SUBJECT).values_list("person_id", flat=True)
    return (
        Incident.objects.filter(person_links__person_id__in=subject_ids, occurred_at__lt=incident.occurred_at)
        .exclude(pk=incident.pk)
        .distinct()
    )


def had_earlier_warning(incident) -> bool:
    return any(
        ActionKind.WARNING_LETTER in decision.actions
        for decision in Decision.objects.filter(incident__in=earlier_record(incident))
    )


def _clean_actions(actions) -> list[str]:
    actions = list(dict.fromkeys(actions))
    unknown = [a for a in actions if a not in ActionKind.values]
    if unknown:
        raise ValidationError({"actions": f"Unknown actions: {', '.join(unknown)}."})
    if not actions:
        raise ValidationError({"actions": "Choose at least one action, or “No further action”."})
    if ActionKind.NO_FURTHER_ACTION in actions and len(actions) > 1:
        raise ValidationError({"actions": "“No further action” cannot be combined with other actions."})
    return actions


# Proposal ------------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(*, actor, incident, actions, rationale, ban_justification="") -> Proposal:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "propose a response")
    if incident.stage not in (Stage.CONVERSATION, Stage.PROPOSED):
        raise ValidationError(
            f"A response is proposed after the parent conversation; this case is at “{Stage(incident.stage).label}”."
        )
    actions = _clean_actions(actions)
    if not rationale.strip():
        raise ValidationError({"rationale": "Explain why this response is proportionate."})
    includes_ban = ActionKind.SITE_BAN in actions
    if includes_ban and not had_earlier_warning(incident) and not ban_justification.strip():
        raise ValidationError(
            {
                "ban_justification": "This person has had no earlier warning letter: explain why a ban, "
                "rather than a warning, is justified now."
            }
        )
    for previous in Proposal.objects.filter(incident=incident, status__in=OPEN_PROPOSAL_STATUSES):
        previous.status = ProposalStatus.SUPERSEDED
        save_with_history(previous, "Replaced by a revised proposal", actor=actor)
    proposal = save_with_history(
        Proposal(
            incident=incident,
            actions=actions,
            rationale=rationale,
            ban_justification=ban_justification,
            includes_ban=includes_ban,
            proposed_by=actor,
        ),
        "Response proposed",
        actor=actor,
    )
    labels = "; ".join(proposal.action_labels())
    event_record(
        actor=actor, incident=incident, kind="proposal", summary=f"Response proposed: {labels}", note=rationale
    )
    target = Stage.AWAITING_CHAIR if includes_ban else Stage.PROPOSED
    incident_transition(actor=actor, incident=incident, to_stage=target)
    if includes_ban:
        notify_role(
            actor=actor,
            school=incident.school,
            role=Role.CHAIR,
            incident=incident,
            what="needs the Chair's consultation before a ban",
        )
    else:
        notify_role(actor=actor, school=incident.school, role=Role.HEAD, incident=incident,
                    what="has a response to decide")
    return proposal


def _pending_proposal_exists(with_ban: bool):
    def check(incident):
        proposal = Proposal.objects.filter(incident=incident, status=ProposalStatus.PENDING).first()
        if proposal is None:
            return "Record the proposed response first."
        if proposal.includes_ban != with_ban:
            return (
                "A proposal with a site ban must go to the Chair first."
                if proposal.includes_ban
                else "Only a proposal with a site ban goes to the Chair."
            )
        # A proposal moves the case once, straight after it is recorded. Without
        # this a bare "revise" move could send an already signed-off ban back to
        # the Chair (whose second, negative view would then be ignored) or log
        # a revision that never happened.
        last = (
            CaseEvent.objects.filter(incident=incident, kind__in=("proposal", "stage"))
            .order_by("-pk")
            .values_list("kind", flat=True)
            .first()
        )
        if last != "proposal":
            return "Record the revised proposal first: this proposal has already moved the case."
        return None

    return check


# Chair consultation ------------------------------------------------------------------


@transaction.atomic
def consultation_record(
    *, actor, incident, consulted_on, method, chair_view, signed_off, reasons_not_signed=""
) -> ChairConsultation:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, {Role.CHAIR}, "record the Chair's consultation")
    if incident.stage != Stage.AWAITING_CHAIR:
        raise ValidationError("This case is not waiting for the Chair.")
    proposal = Proposal.objects.get(incident=incident, status=ProposalStatus.PENDING)
    if consulted_on > timezone.localdate():
        raise ValidationError({"consulted_on": "The consultation cannot be dated in the future."})
    if method not in ConsultationMethod.values:
        # No default: the Chair says how it took place (issue 25).
        raise ValidationError({"method": "Say how the consultation took place."})
    if not signed_off and not reasons_not_signed.strip():
        raise ValidationError({"reasons_not_signed": "Give your reasons for not signing off the ban."})
    consultation = save_with_history(
        ChairConsultation(
            incident=incident,
            proposal=proposal,
            chair=actor,
            consulted_on=consulted_on,
            method=method,
            chair_view=chair_view,
            signed_off=signed_off,
            reasons_not_signed="" if signed_off else reasons_not_signed,
        ),
        "Chair consulted",
        actor=actor,
    )
    if not signed_off:
        proposal.status = ProposalStatus.CHAIR_DECLINED
        save_with_history(proposal, "The Chair did not sign off", actor=actor)
    summary = (
        "Chair consulted and signed off the ban"
        if signed_off
        else "Chair consulted and did not sign off the ban: the response must be revised"
    )
    event_record(
        actor=actor,
        incident=incident,
        kind="consultation",
        summary=summary,
        note=chair_view if signed_off else reasons_not_signed,
    )
    incident_transition(actor=actor, incident=incident, to_stage=Stage.PROPOSED)
    notify_role(
        actor=actor,
        school=incident.school,
        role=Role.HEAD,
        incident=incident,
        what="has the Chair's consultation recorded and needs your decision",
    )
    return consultation


def _consultation_recorded(incident):
    proposal = current_proposal(incident)
    if proposal is None or not ChairConsultation.objects.filter(proposal=proposal).exists():
        return "The Chair has not recorded the consultation yet."
    return None


# Decision ------------------------------------------------------------------------------


# What a decision approved as proposed records when the head gives no reasons of their own.
APPROVED_FOR_PROPOSAL_REASONS = "Approved as proposed, for the reasons the proposal gives."


@transaction.atomic
def decision_record(*, actor, incident, outcome, reasons="", actions=None) -> Decision | None:
    """The head approves, changes or rejects the current proposal."""
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, {Role.HEAD}, "decide the response")
    if incident.stage != Stage.PROPOSED:
        raise ValidationError("There is no proposal waiting for a decision on this case.")
    proposal = current_proposal(incident)
    if proposal is None:
        raise ValidationError("There is no proposal waiting for a decision on this case.")
    if not reasons.strip():
        # Approving as proposed adopts the proposal's reasons, and the record says so; any other outcome
        # departs from the proposal and gives its own.
        if outcome != DecisionOutcome.APPROVED:
            raise ValidationError({"reasons": "Give the reasons for your decision."})
        reasons = APPROVED_FOR_PROPOSAL_REASONS
    if outcome == DecisionOutcome.REJECTED:
        proposal.status = ProposalStatus.REJECTED
        save_with_history(proposal, "Rejected by the head", actor=actor)
        event_record(
            actor=actor,
            incident=incident,
            kind="decision",
            summary="Head rejected the proposal: a new proposal is needed",
            note=reasons,
        )
        # The case stays at "response proposed" until a revised proposal arrives.
        return None
    if outcome == DecisionOutcome.APPROVED:
        actions = list(proposal.actions)
    else:
        actions = _clean_actions(actions or [])
    includes_ban = ActionKind.SITE_BAN in actions
    consultation = None
    if includes_ban:
        consultation = signed_off_consultation(proposal) if proposal.includes_ban else None
        if consultation is None:
            raise ValidationError(
                {
                    "actions": "A site ban needs the Chair of the Local Academy Board to sign off first. "
                    "Decide without the ban, or revise the proposal so the Chair is consulted."
                }
            )
    elif proposal.status == ProposalStatus.CHAIR_DECLINED and outcome == DecisionOutcome.APPROVED:
        raise ValidationError({"outcome": "The Chair did not sign off the ban: change the response."})
    decision = save_with_history(
        Decision(
            incident=incident,
            proposal=proposal,
            head=actor,
            outcome=outcome,
            actions=actions,
            reasons=reasons,
            includes_ban=includes_ban,
            consultation=consultation,
        ),
        "Decision recorded",
        actor=actor,
    )
    for kind in actions:
        if kind != ActionKind.NO_FURTHER_ACTION:
            save_with_history(DecisionAction(decision=decision, kind=kind), actor=actor)
    proposal.status = ProposalStatus.DECIDED
    save_with_history(proposal, "Decided", actor=actor)
    event_record(
        actor=actor,
        incident=incident,
        kind="decision",
        summary=f"Head decided ({decision.get_outcome_display().lower()}): " + "; ".join(decision.action_labels()),
        note=reasons,
    )
    incident_transition(actor=actor, incident=incident, to_stage=Stage.DECIDED)
    return decision


def latest_decision(incident) -> Decision | None:
    return Decision.objects.filter(incident=incident).order_by("-decided_at", "-pk").first()


def _decision_lawful(incident):
    decision = latest_decision(incident)
    if decision is None or decision.proposal.status != ProposalStatus.DECIDED:
        return "Record the head's decision first."
    if decision.includes_ban:
        consultation = decision.consultation
        if consultation is None or not consultation.signed_off:
            return "A ban cannot be decided without the Chair's signed-off consultation."
        if consultation.consulted_on > timezone.localtime(decision.decided_at).date():
            return "The Chair's consultation must come before the decision."
    return None


# Follow-up actions and closing ----------------------------------------------------------

# Actions that only the matching record completes (the letter's issue, the ban's start).
ACTIONS_DONE_BY_RECORDS = {ActionKind.SITE_BAN}


@transaction.atomic
def action_complete(*, actor, action, done_on, details="", reference="") -> DecisionAction:
    action = (
        DecisionAction.objects.select_for_update(of=("self",)).select_related("decision__incident").get(pk=action.pk)
    )
    incident = lock_incident(action.decision.incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "mark actions done")
    if incident.stage != Stage.DECIDED:
        raise ValidationError("Actions are completed while the case is decided and open.")
    if action.done:
        raise ValidationError("This action is already marked done.")
    if action.kind in ACTIONS_DONE_BY_RECORDS:
        raise ValidationError("A site ban is marked done when the ban letter is issued.")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date cannot be in the future."})
    if action.kind == ActionKind.AUTHORITIES and not reference.strip():
        raise ValidationError({"reference": "Give the reference the authorities gave you."})
    return action_mark_done(
        actor=actor, incident=incident, action=action, done_on=done_on, details=details, reference=reference
    )


def action_mark_done(*, actor, incident, action, done_on, details="", reference=""):
    """Mark a decided action done and put it on the timeline; the caller holds the case lock and has checked."""
    action.done = True
    action.done_on = done_on
    action.details = details
    action.reference = reference
    action.done_by = actor
    save_with_history(action, "Action done", actor=actor)
    event_record(
        actor=actor,
        incident=incident,
        kind="action",
        summary=f"Done: {action.get_kind_display()}",
        note=" ".join(filter(None, [reference, details])),
    )
    return action


def _actions_done(incident):
    decision = latest_decision(incident)
    if decision and decision.followups.filter(done=False).exists():
        return "Every action of the decision must be done before the case closes."
    return None


@transaction.atomic
def case_close(*, actor, incident, outcome) -> Incident:
    if not outcome.strip():
        raise ValidationError({"outcome": "Summarise the outcome of the case."})
    return incident_transition(
        actor=actor, incident=incident, to_stage=Stage.CLOSED, outcome=outcome, summary="Case closed", note=outcome
    )


@transaction.atomic
def case_reopen(*, actor, incident, reason) -> Incident:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is reopened."})
    return incident_transition(
        actor=actor, incident=incident, to_stage=Stage.DECIDED, summary="Case reopened", note=reason
    )


def register_preconditions():
    register_precondition(Stage.CONVERSATION, Stage.PROPOSED, _pending_proposal_exists(False))
    register_precondition(Stage.PROPOSED, Stage.PROPOSED, _pending_proposal_exists(False))
    register_precondition(Stage.CONVERSATION, Stage.AWAITING_CHAIR, _pending_proposal_exists(True))
    register_precondition(Stage.PROPOSED, Stage.AWAITING_CHAIR, _pending_proposal_exists(True))
    register_precondition(Stage.AWAITING_CHAIR, Stage.PROPOSED, _consultation_recorded)
    register_precondition(Stage.PROPOSED, Stage.DECIDED, _decision_lawful)
    register_precondition(Stage.DECIDED, Stage.CLOSED, _actions_done)
