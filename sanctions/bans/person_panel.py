"""The person page's letters and bans (registered with incidents.panels): every letter and ban about the
person on the cases the reader may see, newest first, so a merged record shows those of both records.
Bans are grouped as reception would ask: in force today, starting later, and past."""

from django.utils import timezone

from incidents.selectors import incidents_for
from sanctions.models import IN_FORCE_STATUSES, BanStatus, Letter, SiteBan

# The latest of each shown; each case page has the rest.
SHOWN = 20
UPCOMING_STATUSES = (BanStatus.INTENDED, *IN_FORCE_STATUSES)


def _group(bans, today) -> dict:
    groups = {"in_force": [], "upcoming": [], "past": []}
    for ban in bans:
        if ban.status in IN_FORCE_STATUSES and ban.starts_on <= today <= ban.ends_on:
            groups["in_force"].append(ban)
        elif ban.status in UPCOMING_STATUSES and ban.starts_on > today:
            groups["upcoming"].append(ban)
        else:
            groups["past"].append(ban)
    return groups


def person_letters_bans_provider(request, person) -> list:
    cases = incidents_for(request.user).values("pk")
    letters = list(Letter.objects.filter(person=person, incident__in=cases).select_related("incident")
                   .defer("pdf", "html").order_by("-drafted_at", "-pk")[:SHOWN])
    bans = list(SiteBan.objects.filter(person=person, incident__in=cases).select_related("incident__school")
                .order_by("-starts_on", "-pk")[:SHOWN])
    groups = _group(bans, timezone.localdate())
    # The photo is served through a ban the reader may open: the one in force, else the next.
    photo_ban = next(iter(groups["in_force"] + groups["upcoming"] + groups["past"]), None) if person.photo else None
    context = {"letters": letters, "bans": bans, "groups": groups, "photo_ban": photo_ban, "person": person}
    return [{"template": "sanctions/_person_letters_bans.html", "context": context}]
