from conduct.permissions import readable_school_ids
from incidents.models import Incident
from sanctions.models import Decision, DecisionAction
from sanctions.responses.services import earlier_record


def earlier_history_for(user, incident):
    """The subjects' earlier incidents the viewer may see, with their decisions."""
    earlier = (
        earlier_record(incident).filter(school_id__in=readable_school_ids(user))
        .select_related("school").prefetch_related("categories").order_by("-occurred_at")
    )
    decisions = {}
    for decision in Decision.objects.filter(incident__in=earlier).order_by("decided_at"):
        decisions[decision.incident_id] = decision
    return [{"incident": i, "decision": decisions.get(i.pk)} for i in earlier]


# Categories point to responses the policy names for them (policy sections 2-4).
SUGGESTIONS = {
    "threatening": ["authorities"],
    "property-damage": ["authorities"],
    "aggression": ["authorities", "ban"],
    "approaching-child": ["authorities", "meeting"],
    "abusive-messages": ["warning", "authorities"],
    "derogatory-social-media": ["legal", "report_post"],
    "libellous-posts": ["legal", "report_post"],
    "cyber-bullying": ["report_post", "meeting"],
    "offensive-language": ["meeting", "warning"],
    "disruptive-behaviour": ["meeting", "warning"],
    "inappropriate-behaviour": ["meeting", "warning"],
    "smoking-drugs-alcohol": ["warning"],
    "dogs": ["meeting"],
}


def suggestions_for(incident):
    from sanctions.models import ActionKind

    suggested = {}
    for category in incident.categories.all():
        for action in SUGGESTIONS.get(category.code, []):
            suggested.setdefault(action, []).append(category.name)
    return [{"action": ActionKind(a).label, "because": because} for a, because in suggested.items()]


def open_actions(incident):
    return DecisionAction.objects.filter(decision__incident=incident).select_related("decision", "done_by")


def incidents_with_open_actions():
    return Incident.objects.filter(decisions__followups__done=False).distinct()
