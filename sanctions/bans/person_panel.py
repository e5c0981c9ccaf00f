"""The person page's letters and bans (registered with incidents.panels): every letter and ban about the
person on the cases the reader may see, newest first, so a merged record shows those of both records."""

from incidents.selectors import incidents_for
from sanctions.models import Letter, SiteBan

# The latest of each shown; each case page has the rest.
SHOWN = 20


def person_letters_bans_provider(request, person) -> list:
    cases = incidents_for(request.user).values("pk")
    letters = list(Letter.objects.filter(person=person, incident__in=cases).select_related("incident")
                   .defer("pdf").order_by("-drafted_at", "-pk")[:SHOWN])
    bans = list(SiteBan.objects.filter(person=person, incident__in=cases).select_related("incident")
                .order_by("-starts_on", "-pk")[:SHOWN])
    return [{"template": "sanctions/_person_letters_bans.html", "context": {"letters": letters, "bans": bans}}]
