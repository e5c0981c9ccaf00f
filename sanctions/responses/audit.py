"""The case's invariants, registered with `manage.py conduct_audit` (sanctions.audit).

Each check yields (case reference, problem). They live with responses because
they read the case's records and its proposals, consultations and decisions.

A trust keeps 200,000 cases or more, so no check asks a question per case:
the per-case checks read the cases a chunk of consecutive ids at a time and
ask each table once per chunk, for the whole range, grouped by case.
"""

from collections import Counter, defaultdict

from django.db.models import F, Q
from django.utils import timezone

from incidents.models import CaseEvent, Evidence, Incident, ParentConversation, StaffHarm, Statement
from incidents.workflow import Stage
from sanctions.models import ChairConsultation, Decision, Letter, Proposal, ProposalStatus, SiteBan

CHUNK = 5000


def incident_chunks(*fields, size=CHUNK):
    """Lists of (id, *fields) for every incident, in id order, `size` at a time.

    Keyset pagination rather than one open cursor: the checks run their own
    queries between chunks, which SQLite and server-side cursors handle badly.
    """
    last = 0
    while True:
        rows = list(Incident.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:size])
        if rows:
            yield rows
        # A short chunk is the last: asking once more for nothing cost each check a query.
        if len(rows) < size:
            return
        last = rows[-1][0]


def _in_chunk(rows, field="incident_id"):
    return {f"{field}__gte": rows[0][0], f"{field}__lte": rows[-1][0]}


def check_ban_decisions_signed_off():
    # The Chair's refusals are few: read them once rather than once per ban decision.
    declined = defaultdict(list)
    for proposal_id, recorded_at in ChairConsultation.objects.filter(
        signed_off=False, proposal__isnull=False
    ).values_list("proposal_id", "recorded_at"):
        declined[proposal_id].append(recorded_at)
    decisions = Decision.objects.filter(includes_ban=True).select_related("incident", "consultation").order_by("pk")
    for decision in decisions.iterator(chunk_size=2000):
        consultation = decision.consultation
        if consultation is None or not consultation.signed_off:
            yield decision.incident.reference, "a ban was decided without the Chair's signed-off consultation"
        # consulted_on is a date in London; read the decision's date there too,
        # or every decision made between midnight and 1am in summer looks early.
        elif consultation.consulted_on > timezone.localtime(decision.decided_at).date():
            yield decision.incident.reference, "the Chair's consultation is dated after the ban decision"
        elif consultation.proposal_id != decision.proposal_id:
            yield decision.incident.reference, "the Chair's sign-off is for a different proposal than the one decided"
        elif any(
            consultation.recorded_at < at <= decision.decided_at for at in declined.get(decision.proposal_id, ())
        ):
            yield decision.incident.reference, "the Chair's last word before the ban decision was not a sign-off"


def check_stage_changes_have_events():
    """The incident's history and the timeline must agree on every stage change."""
    for rows in incident_chunks("reference", "stage"):
        changes = Counter()
        previous = {}
        history = (
            Incident.history.filter(id__gte=rows[0][0], id__lte=rows[-1][0])
            .order_by("id", "history_date", "history_id")
            .values_list("id", "stage")
        )
        for incident_id, stage in history:
            if incident_id in previous and stage != previous[incident_id]:
                changes[incident_id] += 1
            previous[incident_id] = stage
        # A revised proposal records a "response proposed → response proposed"
        # event that changes no stage: only events that change it are counted.
        stage_events = Counter()
        last_stage = {}
        events = (
            CaseEvent.objects.filter(Q(kind="stage") | ~Q(to_stage=""), **_in_chunk(rows))
            .order_by("incident_id", "at", "pk")
            .values_list("incident_id", "kind", "from_stage", "to_stage")
        )
        for incident_id, kind, from_stage, to_stage in events:
            if kind == "stage" and from_stage != to_stage:
                stage_events[incident_id] += 1
            if to_stage:
                last_stage[incident_id] = to_stage
        for pk, reference, stage in rows:
            if changes[pk] != stage_events[pk]:
                yield reference, (
                    f"{changes[pk]} stage change(s) in the history but {stage_events[pk]} in the timeline"
                )
            if last_stage.get(pk) != stage:
                yield reference, "the timeline's last stage does not match the case's stage"


def _incident_ids(model, rows, **filters):
    return set(model.objects.filter(**_in_chunk(rows), **filters).values_list("incident_id", flat=True).distinct())


def check_stage_matches_records():
    for rows in incident_chunks("reference", "stage", "outcome"):
        with_statement = _incident_ids(Statement, rows)
        with_conversation = _incident_ids(ParentConversation, rows)
        with_proposal = _incident_ids(Proposal, rows)
        with_decision = _incident_ids(Decision, rows)
        pending = {}
        for incident_id, proposal_id, includes_ban in (
            Proposal.objects.filter(status=ProposalStatus.PENDING, **_in_chunk(rows))
            .order_by("proposed_at", "pk").values_list("incident_id", "pk", "includes_ban")
        ):
            pending.setdefault(incident_id, (proposal_id, includes_ban))
        answered = set(
            ChairConsultation.objects.filter(proposal_id__in=[p for p, _ in pending.values()])
            .values_list("proposal_id", flat=True)
        ) if pending else set()
        foreign = Counter(
            ChairConsultation.objects.filter(proposal__isnull=False, **_in_chunk(rows))
            .exclude(proposal__incident_id=F("incident_id"))
            .values_list("incident_id", flat=True)
        )
        for pk, ref, stage, outcome in rows:
            proposal = pending.get(pk)
            if stage in (Stage.CONVERSATION,) and pk not in with_statement:
                yield ref, "at the parent conversation with no statement"
            if stage in (Stage.PROPOSED, Stage.AWAITING_CHAIR, Stage.DECIDED, Stage.CLOSED):
                if pk not in with_conversation:
                    yield ref, "past the parent conversation without a record of it"
                if pk not in with_proposal:
                    yield ref, "past the proposal stage without a proposal"
            if stage == Stage.AWAITING_CHAIR and (proposal is None or not proposal[1]):
                yield ref, "awaiting the Chair without a pending ban proposal"
            if stage == Stage.AWAITING_CHAIR and proposal is not None and proposal[0] in answered:
                yield ref, "awaiting the Chair on a proposal the Chair has already answered"
            if stage in (Stage.DECIDED, Stage.CLOSED) and pk not in with_decision:
                yield ref, "decided without a decision"
            if stage == Stage.CLOSED and not outcome.strip():
                yield ref, "closed without an outcome"
            if stage in (Stage.REPORTED, Stage.GATHERING) and pk in with_decision:
                yield ref, "has a decision but is back at an early stage"
            for _ in range(foreign[pk]):
                yield ref, "a consultation names another case's proposal"


def check_proposal_moves_follow_a_proposal():
    """A move to "response proposed" or "awaiting Chair" made by proposing follows its proposal."""
    moves = {(Stage.CONVERSATION, Stage.PROPOSED), (Stage.CONVERSATION, Stage.AWAITING_CHAIR),
             (Stage.PROPOSED, Stage.PROPOSED), (Stage.PROPOSED, Stage.AWAITING_CHAIR)}
    for rows in incident_chunks("reference"):
        references = dict(rows)
        events = (
            CaseEvent.objects.filter(kind__in=("proposal", "stage"), **_in_chunk(rows))
            .order_by("incident_id", "pk")
            .values_list("incident_id", "kind", "from_stage", "to_stage")
        )
        previous = {}
        for incident_id, kind, from_stage, to_stage in events:
            if kind == "stage" and (from_stage, to_stage) in moves and previous.get(incident_id) != "proposal":
                yield references[incident_id], "moved on as if proposed, without a new proposal"
            previous[incident_id] = kind


# The case page reads these records only when the timeline has an event of their kind.
RECORDS_WITH_EVENTS = [
    (Evidence, "evidence", "evidence"), (ChairConsultation, "consultation", "a Chair's consultation"),
    (Decision, "decision", "a decision"), (Letter, "letter", "a letter"), (SiteBan, "ban", "a ban"),
    # The case page reads its staff harmed only when the timeline has one (issue 26).
    (StaffHarm, "staff_harm", "a member of staff harmed"),
]


def check_records_are_on_the_timeline():
    """Every service that adds one of these records writes its event; one without would be missing
    from the case page."""
    for rows in incident_chunks("reference"):
        references = dict(rows)
        events = set(
            CaseEvent.objects.filter(kind__in=[kind for _m, kind, _w in RECORDS_WITH_EVENTS], **_in_chunk(rows))
            .values_list("incident_id", "kind").distinct()
        )
        for model, kind, what in RECORDS_WITH_EVENTS:
            for incident_id in sorted(_incident_ids(model, rows)):
                if (incident_id, kind) not in events:
                    yield references[incident_id], f"has {what} that its timeline does not show"


def check_people_are_listed_where_they_are_known():
    """The people list reads PersonSchool: a pair missing there would hide a person from a school's staff."""
    from incidents.models import Person, PersonSchool

    missing = PersonSchool.objects.missing()
    names = dict(Person.objects.filter(pk__in={p for p, _s in missing[:100]}).values_list("pk", "full_name"))
    for person_id, school_id in missing[:100]:
        yield f"person {person_id}", (f"{names.get(person_id, '?')} is missing from the people list of school "
                                      f"{school_id}, where they were added or are named in a case")


CHECKS = [check_ban_decisions_signed_off, check_stage_changes_have_events, check_stage_matches_records,
          check_proposal_moves_follow_a_proposal, check_records_are_on_the_timeline,
          check_people_are_listed_where_they_are_known]
