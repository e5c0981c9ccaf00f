"""The home page: each user's work list. The top floor, so it may read both apps."""

from datetime import timedelta

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from conduct.permissions import is_trust_reader, schools_with_role
from conduct.roles import Role
from incidents.selectors import incidents_for
from incidents.workflow import Stage
from sanctions.models import Proposal
from sanctions.selectors_bans import ban_work_sections
from sanctions.services import OPEN_PROPOSAL_STATUSES

# How long a case may sit in a stage before it is shown as overdue.
OVERDUE_AFTER_DAYS = {
    Stage.REPORTED: 2,
    Stage.GATHERING: 10,
    Stage.CONVERSATION: 10,
    Stage.PROPOSED: 5,
    Stage.AWAITING_CHAIR: 5,
    Stage.DECIDED: 20,
}


def _worklist(queryset):
    now = timezone.now()
    items = []
    for incident in queryset.select_related("school").prefetch_related("person_links__person"):
        limit = OVERDUE_AFTER_DAYS.get(incident.stage)
        overdue = limit is not None and incident.stage_changed_at < now - timedelta(days=limit)
        items.append({"incident": incident, "overdue": overdue})
    items.sort(key=lambda item: (not item["overdue"], item["incident"].stage_changed_at))
    return items


def work_sections(user):
    visible = incidents_for(user)
    sections = []

    def add(title, empty, schools, stages, *conditions, **filters):
        if schools:
            queryset = visible.filter(*conditions, school__in=schools, stage__in=stages, **filters)
            sections.append({"title": title, "empty": empty, "items": _worklist(queryset)})

    # A case at "response proposed" waits for the head only while it has an open
    # proposal; after the head rejects one it waits for a revised proposal instead.
    has_open_proposal = Q(pk__in=Proposal.objects.filter(status__in=OPEN_PROPOSAL_STATUSES).values("incident_id"))

    add("Incidents you logged", "Nothing you logged is open.", schools_with_role(user, {Role.OFFICE}),
        [s for s in Stage.values if s != Stage.CLOSED], logged_by=user)
    add("Cases to gather information on or to speak to the parent about", "No cases waiting.",
        schools_with_role(user, {Role.SENIOR, Role.HEAD}), [Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION])
    add("Proposals waiting for your decision", "No proposals to decide.",
        schools_with_role(user, {Role.HEAD}), [Stage.PROPOSED], has_open_proposal)
    add("Proposals to revise after the head rejected them", "No proposals to revise.",
        schools_with_role(user, {Role.SENIOR, Role.HEAD}), [Stage.PROPOSED], ~has_open_proposal)
    add("Decided cases with actions to complete", "No decided cases open.",
        schools_with_role(user, {Role.HEAD, Role.SENIOR}), [Stage.DECIDED])
    add("Consultations to sign off", "No consultations waiting for you.",
        schools_with_role(user, {Role.CHAIR}), [Stage.AWAITING_CHAIR])
    # The head consults the Chair (policy section 4), so the head sees what the Chair has not yet answered.
    add("Ban proposals waiting for the Chair", "No ban proposals waiting for the Chair.",
        schools_with_role(user, {Role.HEAD}), [Stage.AWAITING_CHAIR])

    sections.extend(ban_work_sections(user))
    if is_trust_reader(user):
        sections.append({
            "title": "Open cases across the trust", "empty": "No open cases.",
            "items": _worklist(visible.exclude(stage=Stage.CLOSED)),
        })
    return sections


def home(request):
    return render(request, "conduct/home.html", {"sections": work_sections(request.user)})
