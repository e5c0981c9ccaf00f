"""The person page's letters and bans (registered with incidents.panels): every letter and ban about the
person on the cases the reader may see, newest first, so a merged record shows those of both records.
Bans are grouped as reception would ask: in force today, starting later, and past."""

from django.utils import timezone

from sanctions.bans.selectors import bans_for
from sanctions.letters.selectors import letters_for
from sanctions.models import IN_FORCE_STATUSES, BanStatus

# The latest of each shown; each case page has the rest.
SHOWN = 20
UPCOMING_STATUSES = (BanStatus.INTENDED, *IN_FORCE_STATUSES)
LETTER_COLUMNS = ("kind", "status", "issued_at", "drafted_at", "incident", "incident__reference")
BAN_COLUMNS = ("status", "starts_on", "ends_on", "lifted_on", "incident", "incident__reference", "incident__school",
               "incident__school__name")


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
    # Scoped by the case's school in the join, and only the columns the panel shows: "incident in the
    # reader's cases" made SQLite list a school's every case first, and forty letters and bans built with
    # their cases' every field (the letters' words among them) cost the page more than its queries.
    letters = list(letters_for(request.user).filter(person=person).select_related("incident")
                   .only(*LETTER_COLUMNS).order_by("-drafted_at", "-pk")[:SHOWN])
    bans = list(bans_for(request.user).filter(person=person).select_related("incident__school")
                .only(*BAN_COLUMNS).order_by("-starts_on", "-pk")[:SHOWN])
    groups = _group(bans, timezone.localdate())
    # The photo is served through a ban the reader may open: the one in force, else the next.
    photo_ban = next(iter(groups["in_force"] + groups["upcoming"] + groups["past"]), None) if person.photo else None
    context = {"letters": letters, "bans": bans, "groups": groups, "photo_ban": photo_ban, "person": person}
    return [{"template": "sanctions/_person_letters_bans.html", "context": context}]
