"""The sanctions records of one case, read once for the case page.

Two case-page providers show them (the response panel; letters and bans) and
each used to read proposals, decisions and their actions for itself. Here they
are read once per page, each record type in one query (a decision's actions
and a ban's sites come inside their parent's query, as JSON lists), so the page
makes the same number of queries whatever the case holds.

A case page also knows the stages its case has been through and the kinds of
its timeline's events. Every service that adds a consultation, a decision, a
letter or a ban writes an event of that kind in the same transaction, and
`conduct_audit` checks that no such record lacks one (a breach of a ban writes a "breach" event on both
cases); the services create a
proposal only while moving the case to "response proposed" or "awaiting the
Chair". So a case whose timeline shows none of a kind has none of those
records, and they are not queried: most cases have no ban and no letter.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, JSONField, OuterRef, Q, Subquery

from conduct.db_functions import JSONList
from conduct.related_rows import instances, json_rows
from incidents.workflow import Stage
from sanctions.models import BanBreach, ChairConsultation, Decision, DecisionAction, Letter, Proposal, SiteBan
from sanctions.responses.services import OPEN_PROPOSAL_STATUSES

PROPOSAL_STAGES = {Stage.PROPOSED, Stage.AWAITING_CHAIR}


@dataclass
class CaseRecords:
    proposals: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    letters: list = field(default_factory=list)
    bans: list = field(default_factory=list)
    # Breaches of this case's bans, and the breach this case records (a case may be both).
    breaches: list = field(default_factory=list)

    def breaches_of(self, ban):
        return [b for b in self.breaches if b.ban_id == ban.pk]

    def breach_recorded_by(self, incident):
        return next((b for b in self.breaches if b.incident_id == incident.pk), None)

    @property
    def latest_decision(self):
        return self.decisions[-1] if self.decisions else None

    @property
    def current_proposal(self):
        """As services.current_proposal: the newest proposal still open."""
        open_ = [p for p in self.proposals if p.status in OPEN_PROPOSAL_STATUSES]
        return max(open_, key=lambda p: (p.proposed_at, p.pk)) if open_ else None

    def actions_of(self, decision):
        return [a for a in self.actions if a.decision_id == decision.pk]


# What the case page shows of a decision's actions (the Actions list and what is still to do).
ACTION_FIELDS = ("id", "decision_id", "kind", "done", "done_on", "details", "reference")


def _site_names():
    links = (SiteBan.sites.through.objects.filter(siteban=OuterRef("pk")).order_by().values("siteban")
             .annotate(rows=JSONList(F("school__name"))).values("rows"))
    return Subquery(links, output_field=JSONField())


def case_records(incident) -> CaseRecords:
    """The case's proposals, consultations, decisions, actions, letters and bans (cached on `incident`)."""
    cached = getattr(incident, "_sanctions_records", None)
    if cached is not None:
        return cached
    # None: the caller did not read the timeline, so nothing may be skipped.
    reached = getattr(incident, "stages_reached", None)
    kinds = getattr(incident, "event_kinds", None)

    def may_have(kind):
        return kinds is None or kind in kinds

    records = CaseRecords()
    if reached is None or reached & PROPOSAL_STAGES:
        records.proposals = list(Proposal.objects.filter(incident=incident).select_related("proposed_by"))
    if may_have("consultation"):
        records.consultations = list(ChairConsultation.objects.filter(incident=incident).select_related("chair"))
    if may_have("decision"):
        records.decisions = list(Decision.objects.filter(incident=incident).select_related("head")
                                 .annotate(action_rows=json_rows(DecisionAction, "decision", ACTION_FIELDS)))
        records.actions = instances(DecisionAction, [row for decision in records.decisions
                                                      for row in decision.action_rows or []],
                                    sort_key=lambda action: action.pk)
    if may_have("letter"):
        records.letters = list(
            Letter.objects.filter(incident=incident).select_related("person", "ban").defer("pdf", "html")
            .order_by("drafted_at", "pk")
        )
    if may_have("ban"):
        records.bans = list(
            SiteBan.objects.filter(incident=incident).select_related("person")
            .annotate(representation_count=Count("representations"), site_rows=_site_names())
            .order_by("-starts_on", "pk")
        )
        for ban in records.bans:
            ban.site_names = sorted(ban.site_rows or [])
    if may_have("breach"):
        breaches = BanBreach.objects.filter(Q(ban__incident=incident) | Q(incident=incident))
        records.breaches = list(breaches.select_related("incident", "ban__incident", "ban__person")
                                .order_by("-reported_at", "-pk"))
    incident._sanctions_records = records
    return records
