"""Invariants checked across all schools by `manage.py conduct_audit`.

Each check yields (case reference, problem). Lives in sanctions because it
must see both incidents and sanctions records.
"""

from django.db.models import Count, F, Q
from django.utils import timezone

from incidents.models import CaseEvent, Incident
from incidents.workflow import Stage
from sanctions.models import ChairConsultation, Decision, Proposal, ProposalStatus


def check_ban_decisions_signed_off():
    for decision in Decision.objects.filter(includes_ban=True).select_related("incident", "consultation"):
        consultation = decision.consultation
        if consultation is None or not consultation.signed_off:
            yield decision.incident.reference, "a ban was decided without the Chair's signed-off consultation"
        # consulted_on is a date in London; read the decision's date there too,
        # or every decision made between midnight and 1am in summer looks early.
        elif consultation.consulted_on > timezone.localtime(decision.decided_at).date():
            yield decision.incident.reference, "the Chair's consultation is dated after the ban decision"
        elif consultation.proposal_id != decision.proposal_id:
            yield decision.incident.reference, "the Chair's sign-off is for a different proposal than the one decided"
        elif ChairConsultation.objects.filter(
            proposal_id=decision.proposal_id, signed_off=False,
            recorded_at__gt=consultation.recorded_at, recorded_at__lte=decision.decided_at,
        ).exists():
            yield decision.incident.reference, "the Chair's last word before the ban decision was not a sign-off"


def check_stage_changes_have_events():
    """The incident's history and the timeline must agree on every stage change."""
    # A revised proposal records a "response proposed → response proposed"
    # event that changes no stage: only events that change it are counted.
    incidents = Incident.objects.annotate(
        stage_events=Count("events", filter=Q(events__kind="stage") & ~Q(events__from_stage=F("events__to_stage")))
    )
    history = {}
    for record in Incident.history.order_by("history_date", "history_id").values("id", "stage"):
        history.setdefault(record["id"], []).append(record["stage"])
    for incident in incidents:
        changes = 0
        previous = None
        for stage in history.get(incident.pk, []):
            if previous is not None and stage != previous:
                changes += 1
            previous = stage
        if changes != incident.stage_events:
            yield incident.reference, (
                f"{changes} stage change(s) in the history but {incident.stage_events} in the timeline"
            )
        last = CaseEvent.objects.filter(incident=incident).exclude(to_stage="").order_by("-at", "-pk").first()
        if last is None or last.to_stage != incident.stage:
            yield incident.reference, "the timeline's last stage does not match the case's stage"


def check_stage_matches_records():
    for incident in Incident.objects.all():
        stage = incident.stage
        ref = incident.reference
        pending = Proposal.objects.filter(incident=incident, status=ProposalStatus.PENDING).first()
        if stage in (Stage.CONVERSATION,) and not incident.statements.exists():
            yield ref, "at the parent conversation with no statement"
        if stage in (Stage.PROPOSED, Stage.AWAITING_CHAIR, Stage.DECIDED, Stage.CLOSED):
            if not incident.conversations.exists():
                yield ref, "past the parent conversation without a record of it"
            if not incident.proposals.exists():
                yield ref, "past the proposal stage without a proposal"
        if stage == Stage.AWAITING_CHAIR and (pending is None or not pending.includes_ban):
            yield ref, "awaiting the Chair without a pending ban proposal"
        if stage == Stage.AWAITING_CHAIR and pending is not None and pending.consultations.exists():
            yield ref, "awaiting the Chair on a proposal the Chair has already answered"
        if stage in (Stage.DECIDED, Stage.CLOSED) and not incident.decisions.exists():
            yield ref, "decided without a decision"
        if stage == Stage.CLOSED and not incident.outcome.strip():
            yield ref, "closed without an outcome"
        if stage in (Stage.REPORTED, Stage.GATHERING) and incident.decisions.exists():
            yield ref, "has a decision but is back at an early stage"
        for consultation in ChairConsultation.objects.filter(incident=incident, proposal__isnull=False):
            if consultation.proposal.incident_id != incident.pk:
                yield ref, "a consultation names another case's proposal"


def check_proposal_moves_follow_a_proposal():
    """A move to "response proposed" or "awaiting Chair" made by proposing follows its proposal."""
    moves = {(Stage.CONVERSATION, Stage.PROPOSED), (Stage.CONVERSATION, Stage.AWAITING_CHAIR),
             (Stage.PROPOSED, Stage.PROPOSED), (Stage.PROPOSED, Stage.AWAITING_CHAIR)}
    events = (CaseEvent.objects.filter(kind__in=("proposal", "stage")).select_related("incident")
              .order_by("incident_id", "pk"))
    previous = {}
    for event in events:
        if event.kind == "stage" and (event.from_stage, event.to_stage) in moves:
            if previous.get(event.incident_id) != "proposal":
                yield event.incident.reference, "moved on as if proposed, without a new proposal"
        previous[event.incident_id] = event.kind


CHECKS = [check_ban_decisions_signed_off, check_stage_changes_have_events, check_stage_matches_records,
          check_proposal_moves_follow_a_proposal]


def run_audit():
    problems = []
    for check in CHECKS:
        problems.extend(check())
    return problems


from sanctions.audit_bans import BAN_CHECKS  # noqa: E402

CHECKS += BAN_CHECKS
