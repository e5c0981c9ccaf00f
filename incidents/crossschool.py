"""The trust's schools told, not shown: which other school of the trust holds records about a person named in
a case (issue 21, point 5).

A school learns only *which* school to contact (and that school's head); never
its cases. What counts as "holds records": a ban in force or starting there,
or a case there in the last twelve months. Bans are sanctions' records, and
incidents never imports sanctions: sanctions registers a provider here (from
its AppConfig.ready) that answers which (person, school) pairs have one.

Every read here is bounded by the people named on the case, never by the size
of the database: a few indexed queries per person named (`matching.candidates`,
capped), then one query per kind of record for all the pairs together.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from conduct.permissions import has_role, has_trust_role, school_ids_with_role
from conduct.roles import Role
from incidents.matching import candidates, names_alike, same_contact
from incidents.models import IncidentPerson, MatchReason, MatchStatus, Person, PersonMatch, PersonSchool

# "Incidents in the last 12 months" at the other school.
RECENT_DAYS = 365

_BAN_PROVIDERS = []


def register_ban_provider(provider) -> None:
    """`provider(pairs)` takes a set of (person id, school id) pairs and returns those of them for which the
    school holds a site ban in force or starting (notice given)."""
    if provider not in _BAN_PROVIDERS:
        _BAN_PROVIDERS.append(provider)


def pairs_with_bans(pairs) -> set:
    pairs = set(pairs)
    found = set()
    for provider in _BAN_PROVIDERS:
        if pairs:
            found |= set(provider(pairs)) & pairs
    return found


def pairs_with_recent_incidents(pairs, *, exclude_incident_id=None, now=None) -> set:
    """Of (person id, school id) pairs, those where the school has a case naming the person in the last year."""
    pairs = set(pairs)
    if not pairs:
        return set()
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    rows = (IncidentPerson.objects
            .filter(person_id__in=sorted({p for p, _ in pairs}), incident__school_id__in=sorted({s for _, s in pairs}),
                    incident__occurred_at__gte=since)
            .exclude(incident_id=exclude_incident_id)
            .values_list("person_id", "incident__school_id").distinct().order_by())
    return set(rows) & pairs


@dataclass(frozen=True)
class Found:
    """One pair to raise: `person` named at `school` (the case's school), `other_person` known at `other_school`."""

    school_id: int
    person_id: int
    other_school_id: int
    other_person_id: int
    reason: str

    def ordered(self) -> dict:
        """The row's fields, the school with the lower id first (the model's check constraint)."""
        if self.school_id < self.other_school_id:
            return {"school_id": self.school_id, "person_id": self.person_id,
                    "other_school_id": self.other_school_id, "other_person_id": self.other_person_id}
        return {"school_id": self.other_school_id, "person_id": self.other_person_id,
                "other_school_id": self.school_id, "other_person_id": self.person_id}


def find_pairs(incident, people) -> list[Found]:
    """The (this record, other school's record) pairs for `people` named on `incident` whose other school holds
    a ban in force or starting, or a case in the last year, about them."""
    school = incident.school
    people = list({p.pk: p for p in people}.values())
    if not people:
        return []
    # The other schools of the same trust that know each person: the same record, known elsewhere.
    pairs: dict[tuple, str] = {}
    same = (PersonSchool.objects.filter(person_id__in=[p.pk for p in people], school__trust_id=school.trust_id)
            .exclude(school_id=school.pk).values_list("person_id", "school_id"))
    for person_id, other_school_id in same:
        pairs[(person_id, person_id, other_school_id)] = MatchReason.SAME_RECORD
    # Likely matches: another record, known at another school of the trust, with a like name and the same
    # email, phone or address. `candidates` reads indexes only, a few capped rows per way.
    known_elsewhere = (PersonSchool.objects.filter(school__trust_id=school.trust_id)
                       .exclude(school_id=school.pk).values("person_id"))
    likely = {}
    for person in people:
        found = candidates(Person.objects.filter(pk__in=known_elsewhere), name=person.full_name,
                           email=person.email, phone=person.phone, exclude_ids=[p.pk for p in people])
        for match in found:
            if names_alike(person.full_name, match.person.full_name) and same_contact(person, match.person):
                likely.setdefault(match.person.pk, set()).add(person.pk)
    if likely:
        where = (PersonSchool.objects.filter(person_id__in=sorted(likely), school__trust_id=school.trust_id)
                 .exclude(school_id=school.pk).values_list("person_id", "school_id"))
        for other_person_id, other_school_id in where:
            for person_id in likely[other_person_id]:
                pairs.setdefault((person_id, other_person_id, other_school_id), MatchReason.LIKELY)
    if not pairs:
        return []
    held = {(other_person_id, other_school_id) for _p, other_person_id, other_school_id in pairs}
    holding = pairs_with_bans(held) | pairs_with_recent_incidents(held, exclude_incident_id=incident.pk)
    return [Found(school.pk, person_id, other_school_id, other_person_id, reason)
            for (person_id, other_person_id, other_school_id), reason in sorted(pairs.items())
            if (other_person_id, other_school_id) in holding]


def existing_rows(found: list[Found]) -> dict:
    """{(school, person, other school, other person): the PersonMatch row}, in one query, locked."""
    if not found:
        return {}
    keys = [f.ordered() for f in found]
    condition = Q(pk__in=[])
    for key in keys:
        condition |= Q(**key)
    rows = PersonMatch.objects.select_for_update().filter(condition)
    return {(r.school_id, r.person_id, r.other_school_id, r.other_person_id): r for r in rows}


# Reading the alerts --------------------------------------------------------------------------------------------

SHOWN_STATUSES = (MatchStatus.OPEN, MatchStatus.SAME)


def matches_at_school(school_id, person_ids, statuses=SHOWN_STATUSES):
    """The alerts about `person_ids` as known at `school_id`, from either side of the pair (two indexes)."""
    person_ids = sorted(person_ids)
    return (PersonMatch.objects
            .filter(Q(school_id=school_id, person_id__in=person_ids)
                    | Q(other_school_id=school_id, other_person_id__in=person_ids),
                    status__in=list(statuses))
            .select_related("school", "other_school", "person", "other_person", "decided_by"))


def side(match, school_id) -> dict:
    """What `school_id`'s staff are told about a match: their own record and the other school (its name and
    head), and nothing of the other school's cases."""
    if match.school_id == school_id:
        own_person, other = match.person, match.other_school
    else:
        own_person, other = match.other_person, match.school
    return {"match": match, "person": own_person, "other_school": other, "other_head": other.head_name,
            "other_head_title": other.head_title}


def told_at(user, school_id) -> bool:
    """Who is told at a school: its head, and the data protection officer (trust-wide)."""
    return has_trust_role(user, Role.DPO) or has_role(user, school_id, {Role.HEAD})


def matches_for(user):
    """The alerts a user may see and decide: the DPO every pair, a head the pairs that include their school."""
    if has_trust_role(user, Role.DPO):
        return PersonMatch.objects.all()
    head_ids = sorted(school_ids_with_role(user, {Role.HEAD}))
    return PersonMatch.objects.filter(Q(school_id__in=head_ids) | Q(other_school_id__in=head_ids))


def get_match_for(user, pk) -> PersonMatch:
    """404 unless the user is told of this pair (a head of either school, or the DPO)."""
    return get_object_or_404(matches_for(user).select_related("school", "other_school", "person", "other_person",
                                                                         "decided_by"),
                             pk=pk)


def viewer_school_id(user, match) -> int | None:
    """The side of the pair the user reads from: their own school's, or none (the DPO, who sees both)."""
    heads = school_ids_with_role(user, {Role.HEAD})
    if match.school_id in heads:
        return match.school_id
    if match.other_school_id in heads:
        return match.other_school_id
    return None


def case_panel_provider(request, incident) -> dict:
    """The case page's alert, for the head of the case's school and the DPO: one query, and none for anyone else."""
    if not told_at(request.user, incident.school_id):
        return {}
    person_ids = {link.person_id for link in incident.person_links.all()}
    if not person_ids:
        return {}
    rows = [side(m, incident.school_id) for m in matches_at_school(incident.school_id, person_ids)]
    if not rows:
        return {}
    return {"panels": [{"template": "incidents/_person_matches_panel.html",
                        "context": {"rows": rows, "incident": incident}}]}


def home_sections(user) -> list[dict]:
    """The work list's "Records at other schools": open alerts, the newest few chosen in SQL, and their count."""
    from incidents.worklists import SECTION_LIMIT

    if not (has_trust_role(user, Role.DPO) or school_ids_with_role(user, {Role.HEAD})):
        return []
    open_alerts = matches_for(user).filter(status=MatchStatus.OPEN)
    total = open_alerts.count()
    chosen = list(open_alerts.select_related("school", "other_school", "person", "other_person")
                  .order_by("-raised_at", "-pk")[:SECTION_LIMIT]) if total else []
    items = []
    for match in chosen:
        own = viewer_school_id(user, match)
        if own is None:
            title = f"{match.school.name} and {match.other_school.name}"
            subjects, school = f"{match.person.full_name} / {match.other_person.full_name}", "The trust"
            note = "two schools of the trust may hold records about one person"
        else:
            told = side(match, own)
            title = f"Contact the head of {told['other_school'].name}"
            subjects, school = told["person"].full_name, (match.school if own == match.school_id
                                                          else match.other_school).name
            note = (f"another school of the trust holds records about this person (or someone who may be them): "
                    f"{told['other_head']}, {told['other_head_title']}, {told['other_school'].name}")
        items.append({"url": reverse("incidents:person_match_detail", args=[match.pk]), "title": title,
                      "subjects": subjects, "stage": "", "stage_label": "", "school": school, "overdue": False,
                      "note": note, "since": None})
    return [{"key": "person_matches", "title": "Records at other schools",
             "empty": "No other school of the trust has told you of records about your people.",
             "items": items, "total": total, "more_url": ""}]
