"""The course-of-conduct view for the trust (issue 21.5): per adult, how many schools of the trust and how many
occasions (incidents naming them as the subject) in the last twelve months.

The Protection from Harassment Act 1997 counts a course of conduct (two or more
occasions) across the people harassed, and the trust is one data controller:
the trust account sees, across its schools, who recurs. Records two schools'
heads have confirmed are one person (PersonMatch, status "same") count as one
adult, through one step of the confirmed pairs (the lowest record id of a
record and its confirmed partners); chains of three records or more, each
confirmed only with its neighbour, may count as two.

One aggregate query (grouped, ordered and limited in SQL) and one for the names
shown: the page does not grow with the trust's data. The aggregate reads a year
of the trust's incidents, so the page keeps its counts for a few minutes.
"""

from datetime import datetime, time, timedelta

from django.db.models import BigIntegerField, Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from incidents.models import IncidentPerson, Involvement, MatchStatus, Person, PersonMatch

# The adults shown, most schools first, then most occasions.
SHOWN = 25
DAYS = 365
# A course of conduct: two or more occasions.
OCCASIONS_AT_LEAST = 2
ID = BigIntegerField()


def adults_across_the_trust(*, today=None, shown=SHOWN) -> dict:
    return with_names(occasions_across_the_trust(today=today, shown=shown))


def occasions_across_the_trust(*, today=None, shown=SHOWN) -> dict:
    """The counts without the names: what the page caches (names are read fresh, so a rename or an
    anonymisation shows at once)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=DAYS), time.min))
    same = PersonMatch.objects.filter(status=MatchStatus.SAME)
    lower = same.filter(other_person_id=OuterRef("person_id")).order_by("person_id").values("person_id")[:1]
    higher = same.filter(person_id=OuterRef("person_id")).order_by("other_person_id").values("other_person_id")[:1]
    rows = list(
        IncidentPerson.objects.filter(involvement=Involvement.SUBJECT, incident__occurred_at__gte=since)
        .annotate(adult=Least(F("person_id"), Coalesce(Subquery(lower), F("person_id"), output_field=ID),
                              Coalesce(Subquery(higher), F("person_id"), output_field=ID), output_field=ID))
        .values("adult")
        .annotate(schools=Count("incident__school_id", distinct=True), occasions=Count("incident_id", distinct=True))
        .filter(occasions__gte=OCCASIONS_AT_LEAST)
        .order_by("-schools", "-occasions", "adult")[:shown]
    )
    return {"since": since.date(), "until": today, "shown": shown,
            "rows": [{"person_id": r["adult"], "schools": r["schools"], "occasions": r["occasions"]} for r in rows]}


def with_names(counted: dict) -> dict:
    """`counted` with each adult's name, in one query."""
    adults = [r["person_id"] for r in counted["rows"]]
    names = dict(Person.objects.filter(pk__in=adults).values_list("pk", "full_name")) if adults else {}
    return counted | {"rows": [r | {"name": names.get(r["person_id"], "")} for r in counted["rows"]]}
