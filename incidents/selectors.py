"""Reads scoped to what a user may see. A record outside a user's schools is a 404."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    JSONField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from conduct.db_functions import JSONList
from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids, roles_at, school_ids_with_role
from conduct.related_rows import instances, json_rows
from conduct.roles import PUPIL_STATEMENT_READERS, STAFF_WRITERS
from incidents.matching import candidates, contact_q, with_contact_keys
from incidents.models import (
    STAGED_LIFETIME,
    CodeOfConductGiven,
    Collector,
    Evidence,
    Incident,
    IncidentPerson,
    Involvement,
    ParentConversation,
    Person,
    PersonAlias,
    PersonMerge,
    PersonSchool,
    PersonSchoolNote,
    Pupil,
    StaffHarm,
    StaffSupport,
    StagedUpload,
    Statement,
    StatementKind,
)
from incidents.person_flags import people_banned
from incidents.search import TRIGRAM_MIN, contains_q, sqlite_incident_matches
from incidents.worklists import get_section, overdue_q


def incidents_for(user):
    if is_trust_reader(user):
        # Every school: no list of school ids for the database to check on every row.
        return Incident.objects.all()
    return Incident.objects.filter(school_id__in=readable_school_ids(user))


def filter_incidents(queryset, data: dict, user=None, counting=False):
    """The incident list's filters (IncidentFilterForm's cleaned data), shared by
    every page and export that offers them, so they all scope the same way.
    `queryset` is already scoped to what the user may read. With `counting`, the
    same cases, in the form a database counts fastest (the list's count)."""
    if data.get("work") and user is not None:
        section = get_section(data["work"])
        if section is not None:
            queryset = section.cases(user, queryset)
    if data.get("overdue"):
        queryset = queryset.filter(overdue_q())
    if data.get("school"):
        queryset = queryset.filter(school=data["school"])
    if data.get("person"):
        queryset = queryset.filter(pk__in=IncidentPerson.objects.filter(person=data["person"]).values("incident_id"))
    if data.get("q"):
        queryset = search_incidents(queryset, data["q"], user)
    if data.get("category"):
        # EXISTS rather than a join: the list walks its date index and checks each case's category in the
        # (incident, category) index, stopping at a page; the join sorted every case of the category.
        in_category = Incident.categories.through.objects.filter(breachcategory=data["category"])
        if counting and _every_school(user, data) and connection.vendor == "sqlite":
            # Counting a category across every school, SQLite would walk all the cases checking each
            # one's category; from the category's own links (the (category, incident) index) it
            # reaches the count's cap four times sooner. Within one school, walking its cases is quicker.
            queryset = queryset.filter(pk__in=in_category.values("incident_id"))
        else:
            queryset = queryset.filter(Exists(in_category.filter(incident_id=OuterRef("pk"))))
    if data.get("stage"):
        queryset = queryset.filter(stage=data["stage"])
    # A range of instants (midnight to midnight in London) that the (school, occurred_at) index can answer;
    # occurred_at__date would compute each row's date first.
    if data.get("date_from"):
        queryset = queryset.filter(occurred_at__gte=start_of_day(data["date_from"]))
    if data.get("date_to"):
        queryset = queryset.filter(occurred_at__lt=start_of_day(data["date_to"] + timedelta(days=1)))
    return queryset


def _every_school(user, data) -> bool:
    return user is not None and is_trust_reader(user) and not data.get("school")


def start_of_day(day):
    """Midnight at the start of `day` in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def search_incidents(queryset, text: str, user=None):
    """A reference, a person's name (or another name `user`'s schools recorded for them) or words in the
    account."""
    text = text.strip()
    people = Person.objects.filter(contains_q("full_name", text)).order_by().values("pk")
    if user is not None:
        people = people.union(aliases_for(user).filter(contains_q("name", text)).order_by().values("person_id"))
    named = IncidentPerson.objects.filter(person__in=people).order_by().values("incident_id")
    # References are stored in capitals: an exact match on the unique index, where iexact could use none.
    if connection.vendor == "postgresql":
        # PostgreSQL cannot combine an OR of these three through its indexes (it read every account
        # instead): the union of three index lookups gives it the matching ids first, as an array.
        # The name and account lookups keep to `queryset`'s cases (the reader's school): a common name
        # otherwise gathered the whole trust's matches, then fetched each to drop it (24 ms to 14, 'Smith').
        # Across the whole trust (nothing to keep to) the names' join would only cost time (7 ms).
        by_reference = Incident.objects.filter(reference=text.upper()).order_by().values("pk")
        by_account = queryset.filter(contains_q("description", text)).order_by().values("pk")
        by_name = queryset.filter(pk__in=named).order_by().values("pk") if queryset.query.where else named
        return queryset.filter(pk__in_array=by_reference.union(by_name, by_account))
    if len(text) >= TRIGRAM_MIN:
        # SQLite: the matching ids gathered once (a UNION), then each case's date read by its key.
        matches = Q(pk__in=sqlite_incident_matches(text))
        if user is not None:
            by_alias = aliases_for(user).filter(contains_q("name", text)).order_by().values("person_id")
            matches |= Q(pk__in=IncidentPerson.objects.filter(person__in=by_alias).order_by().values("incident_id"))
        return queryset.filter(matches)
    # Text too short for the trigram index: SQLite combines the three (MULTI-INDEX OR) by itself.
    return queryset.filter(Q(reference=text.upper()) | Q(pk__in=named) | contains_q("description", text))


def search_people(queryset, text: str, user=None):
    """People whose name, or another name `user`'s schools recorded for them, contains `text`."""
    text = text.strip()
    if user is None:
        return queryset.filter(contains_q("full_name", text))
    by_alias = aliases_for(user).filter(contains_q("name", text)).order_by().values("person_id")
    if connection.vendor == "postgresql":
        # As in search_incidents: with the OR, PostgreSQL read every person in name order and tested each
        # (20 ms of the people list's 46 for 'Smith'); the two index lookups' ids first, as an array.
        by_name = Person.objects.filter(contains_q("full_name", text)).order_by().values("pk")
        return queryset.filter(pk__in_array=by_name.union(by_alias))
    return queryset.filter(contains_q("full_name", text) | Q(pk__in=by_alias))


def aliases_for(user):
    """Other names of people as the user's schools recorded them: another school's never show."""
    if is_trust_reader(user):
        return PersonAlias.objects.all()
    return PersonAlias.objects.filter(school_id__in=sorted(readable_school_ids(user)))


def person_aliases_for(user, person) -> list:
    return list(aliases_for(user).filter(person=person).select_related("school"))


# The person page shows a person's latest occasions of being given the code of conduct and the people named
# as collecting their child (each school names at most services.MAX_COLLECTORS); these caps keep the page
# bounded for a trust-wide reader too.
CODES_GIVEN_SHOWN = 10
COLLECTORS_SHOWN = 40


def _own_schools(user, queryset):
    """`queryset` of one school's records about people, narrowed to the schools `user` reads."""
    if is_trust_reader(user):
        return queryset
    return queryset.filter(school_id__in=sorted(readable_school_ids(user)))


def person_codes_given_for(user, person) -> list:
    """When and how the user's schools gave `person` the code of conduct, latest first."""
    rows = _own_schools(user, CodeOfConductGiven.objects.filter(person=person))
    return list(rows.select_related("school").order_by("-given_on", "-pk")[:CODES_GIVEN_SHOWN])


def person_collectors_for(user, person) -> list:
    """Who `person` named as collecting their child, as the user's schools recorded it."""
    rows = _own_schools(user, Collector.objects.filter(person=person))
    return list(rows.select_related("school").order_by("name", "pk")[:COLLECTORS_SHOWN])


def get_code_given_for(user, pk) -> CodeOfConductGiven:
    """404 outside the user's schools, like the person it is about."""
    return get_object_or_404(_own_schools(user, CodeOfConductGiven.objects.select_related("person", "school")), pk=pk)


def get_collector_for(user, pk) -> Collector:
    return get_object_or_404(_own_schools(user, Collector.objects.select_related("person", "school")), pk=pk)


def get_incident_for(user, pk, *, lock: bool = False, with_categories: bool = False) -> Incident:
    """The one way views fetch a case: 404 outside the user's schools. `with_categories`: with
    `category_list` and `evidence_list` (see there), read in the same query."""
    queryset = incidents_for(user).select_related("school", "logged_by")
    if with_categories:
        queryset = queryset.annotate(category_rows=_category_rows(), evidence_rows=json_rows(
            Evidence, "incident", EVIDENCE_FIELDS, related={"uploaded_by": ("id", "username", "first_name",
                                                                             "last_name")}))
    if lock:
        queryset = queryset.select_for_update()
    return get_object_or_404(queryset, pk=pk)


def _category_rows():
    links = (Incident.categories.through.objects.filter(incident=OuterRef("pk")).order_by().values("incident")
             .annotate(rows=JSONList(JSONObject(name=F("breachcategory__name"), active=F("breachcategory__active"),
                                                order=F("breachcategory__order")))).values("rows"))
    return Subquery(links, output_field=JSONField())


def category_list(incident) -> list[dict]:
    """The case's breach categories as {"name", "active"} in the categories' order: from the case's own
    query when get_incident_for read them (one query fewer on the case page), else from the database."""
    if hasattr(incident, "category_rows"):
        rows = incident.category_rows or []  # no categories: the subquery's NULL
    else:
        rows = list(incident.categories.values("name", "active", "order"))
    # SQLite writes a boolean into JSON as 0 or 1.
    return [{"name": row["name"], "active": bool(row["active"])}
            for row in sorted(rows, key=lambda row: (row["order"], row["name"]))]


# What the case page shows of each piece of evidence.
EVIDENCE_FIELDS = ("id", "incident_id", "original_name", "content_type", "size", "description", "uploaded_at")


def evidence_list(incident) -> list:
    """The case's evidence, oldest first, with who uploaded it: from the case's own query when
    get_incident_for read it, else from the database."""
    if hasattr(incident, "evidence_rows"):
        return instances(Evidence, incident.evidence_rows, sort_key=lambda e: (e.uploaded_at, e.pk))
    return list(incident.evidence.select_related("uploaded_by"))


def people_for(user):
    """People added at the user's schools or named in their cases (PersonSchool holds exactly those pairs).

    One index lookup of the school's people, rather than an OR across a join of
    every case's links, which made the database build the whole join first.
    """
    if is_trust_reader(user):
        # Every person belongs to a school of the trust: nothing to narrow.
        return Person.objects.all()
    known = PersonSchool.objects.filter(school_id__in=sorted(readable_school_ids(user))).values("person_id")
    return Person.objects.filter(pk__in=known)


def get_person_for(user, pk, *, with_merges: bool = False) -> Person:
    """404 outside the user's schools. `with_merges`: with `merge_list` (see there), read in the same query."""
    queryset = people_for(user)
    if with_merges:
        queryset = queryset.annotate(merge_rows=json_rows(
            PersonMerge, "survivor", MERGE_FIELDS,
            related={"merged_by": ("id", "username", "first_name", "last_name")}))
    return get_object_or_404(queryset, pk=pk)


# What the survivor's page shows of each merge ("Merged from … on … by …").
MERGE_FIELDS = ("id", "survivor_id", "merged_person_id", "merged_name", "merged_at")


def merge_list(person) -> list:
    """The records merged into `person`, newest first: from the person's own query when get_person_for read
    them, else from the database."""
    if hasattr(person, "merge_rows"):
        return instances(PersonMerge, person.merge_rows, sort_key=lambda m: (m.merged_at, m.pk))[::-1]
    return list(person.merges.select_related("merged_by"))


# A shared person's notes and pupil links are each school's own: a reader sees those of the schools they read
# (every school for trust oversight and the data protection officer), never another school's.


def pupils_for(user):
    if is_trust_reader(user):
        return Pupil.objects.select_related("school")
    return Pupil.objects.filter(school_id__in=sorted(readable_school_ids(user))).select_related("school")


def pupils_prefetch(user, lookup="pupils") -> Prefetch:
    """Prefetch a person's pupils as `user` may see them, under the usual name (`person.pupils.all()`)."""
    return Prefetch(lookup, queryset=pupils_for(user))


def person_pupils_for(user, person) -> list:
    return list(pupils_for(user).filter(person=person))


def person_writable_schools(user, person) -> list:
    """The schools whose part of `person` (notes, pupils) `user` may edit: where they write and the person is
    known. The adding school, which also keeps the shared details, comes first."""
    known = PersonSchool.objects.filter(person=person, school_id__in=sorted(school_ids_with_role(user, STAFF_WRITERS)))
    schools = School.objects.filter(pk__in=known.values("school_id"))
    return sorted(schools, key=lambda school: (school.pk != person.added_at_school_id, school.name, school.pk))


def person_notes_for(user, person) -> list:
    """The schools' notes on `person` that `user` may read, with the school named."""
    notes = PersonSchoolNote.objects.filter(person=person).exclude(notes="").select_related("school")
    if not is_trust_reader(user):
        notes = notes.filter(school_id__in=sorted(readable_school_ids(user)))
    return list(notes)


def get_evidence_for(user, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("incident").filter(
            incident__school_id__in=readable_school_ids(user)
        ),
        pk=pk,
    )


def get_staff_harm_for(user, pk) -> StaffHarm:
    """A member of staff harmed, with their case and its school: 404 outside the user's schools."""
    return get_object_or_404(
        StaffHarm.objects.select_related("incident__school").filter(
            incident__school_id__in=readable_school_ids(user)
        ),
        pk=pk,
    )


def staff_harmed_list(incident) -> list:
    """The case's staff harmed, each with its support offered, in two queries."""
    support = Prefetch("support", queryset=StaffSupport.objects.select_related("recorded_by"))
    return list(incident.staff_harmed.select_related("staff_account", "recorded_by", "riddor_recorded_by")
                .prefetch_related(support))


def can_read_pupil_statements(user, school) -> bool:
    # Trust oversight does not extend to a child's own account of events.
    return bool(roles_at(user, school) & PUPIL_STATEMENT_READERS)


def case_record(user, incident) -> dict:
    """The case's own records as the case page shows them (templates/incidents/_case_record.html): who it is
    about, its breaches, evidence, the statements this user may read and the conversation with the parent.
    Each related list is read once; the panels of the apps above read the same prefetched lists."""
    prefetch_related_objects(
        [incident],
        Prefetch("person_links", queryset=IncidentPerson.objects.select_related("person")),
        Prefetch("statements", queryset=Statement.objects.select_related("taken_by")),
        Prefetch("conversations", queryset=ParentConversation.objects.select_related("recorded_by")),
    )
    links = incident.person_links.all()
    return {
        "subjects": [link.person for link in links if link.involvement == Involvement.SUBJECT],
        "witnesses": [link.person for link in links if link.involvement == Involvement.WITNESS],
        "categories": category_list(incident),
        "evidence": evidence_list(incident),
        "statements": visible_statements(user, incident),
        "pupil_statements_hidden": not can_read_pupil_statements(user, incident.school),
        "conversations": incident.conversations.all(),
    }


def visible_statements(user, incident) -> list:
    """statements_for() on an incident whose statements are already read (the case page prefetches them)."""
    hide_pupils = not can_read_pupil_statements(user, incident.school)
    return [s for s in incident.statements.all() if not (hide_pupils and s.kind == StatementKind.PUPIL)]


def statements_for(user, incident):
    statements = Statement.objects.filter(incident=incident).select_related("taken_by")
    if not can_read_pupil_statements(user, incident.school):
        statements = statements.exclude(kind=StatementKind.PUPIL)
    return statements


# The person picker and the duplicate guard (issue 21.1, 21.2): a few people, each with what tells them apart.

PICKER_LIMIT = 10
PICKER_TEXT_MAX = 100


@dataclass
class PersonFacts:
    """A person as the picker and the duplicate guard show them, as the reader's schools know them."""

    person: Person
    pupils: list = field(default_factory=list)
    incidents: int = 0
    last_incident: datetime | None = None
    banned: bool = False
    alias: str = ""
    why: str = ""

    @property
    def summary(self) -> str:
        """"parent of Sam Hollis (Year 4) · 2 incidents, the last on 3 Mar 2025 · ban in force"."""
        who = self.person.get_relationship_display().lower()
        if self.pupils:
            who += " of " + ", ".join(f"{p.name} ({p.year_group})" if p.year_group else p.name
                                      for p in self.pupils[:3]) + (" and others" if len(self.pupils) > 3 else "")
        parts = [who]
        if self.alias:
            parts.append(f"also known as {self.alias}")
        if self.incidents:
            last = date_format(timezone.localtime(self.last_incident), "j M Y")
            parts.append(f"{self.incidents} incident{'' if self.incidents == 1 else 's'}, the last on {last}")
        else:
            parts.append("no incidents")
        if self.banned:
            parts.append("ban in force")
        return " · ".join(parts)

    def as_json(self) -> dict:
        return {"id": self.person.pk, "name": self.person.full_name, "summary": self.summary,
                "banned": self.banned, "url": self.person.get_absolute_url()}


def person_facts(user, people, *, aliases=None) -> list[PersonFacts]:
    """`people` (a few Person rows, in the order shown) with their pupils at the user's schools, their incidents
    there (how many, the last one's date) and whether a ban is in force: three queries, however many people."""
    people = list(people)
    ids = [p.pk for p in people]
    if not ids:
        return []
    pupils: dict[int, list] = {}
    for pupil in pupils_for(user).filter(person_id__in=ids).order_by("name", "pk"):
        pupils.setdefault(pupil.person_id, []).append(pupil)
    counts = {row["person_id"]: row for row in
              IncidentPerson.objects.filter(person_id__in=ids, incident__in=incidents_for(user)).order_by()
              .values("person_id").annotate(n=Count("id"), last=Max("incident__occurred_at"))}
    banned = people_banned(ids, None if is_trust_reader(user) else readable_school_ids(user))
    return [PersonFacts(person=p, pupils=pupils.get(p.pk, []), incidents=counts.get(p.pk, {}).get("n", 0),
                        last_incident=counts.get(p.pk, {}).get("last"), banned=p.pk in banned,
                        alias=(aliases or {}).get(p.pk, "")) for p in people]


def picker_text(value) -> str:
    """What the picker searches for: text, NUL removed, at most PICKER_TEXT_MAX characters."""
    return value.replace("\x00", "").strip()[:PICKER_TEXT_MAX] if isinstance(value, str) else ""


def person_matches(user, text, *, limit: int = PICKER_LIMIT, exclude_ids=()) -> list[PersonFacts]:
    """At most `limit` people the user may see whose name, another name their schools recorded, email or phone
    matches `text` (three characters at least), in name order, each with its facts. A constant number of
    queries: the people, the aliases that matched, and person_facts' three."""
    text = picker_text(text)
    if len(text) < TRIGRAM_MIN:
        return []
    aliases = aliases_for(user).filter(contains_q("name", text))
    if connection.vendor == "postgresql":
        # PostgreSQL cannot combine the OR below through its indexes (it read all 66,667 people of bench/ in name
        # order, 55 ms): the union of three index lookups gives it the matching ids first, as an array.
        by_name = Person.objects.filter(contains_q("full_name", text)).order_by().values("pk")
        by_contact = with_contact_keys(Person.objects.all()).filter(contact_q(text, text)).order_by().values("pk")
        matching = people_for(user).filter(
            pk__in_array=by_name.union(aliases.order_by().values("person_id"), by_contact))
    else:
        found = contains_q("full_name", text) | Q(pk__in=aliases.values("person_id")) | contact_q(text, text)
        matching = with_contact_keys(people_for(user)).filter(found)
    people = list(matching.exclude(pk__in=list(exclude_ids)).order_by("full_name", "pk")[:limit])
    by_alias = {}
    if people:
        for alias in aliases.filter(person_id__in=[p.pk for p in people]).order_by("name", "pk"):
            by_alias.setdefault(alias.person_id, alias.name)
    return person_facts(user, people, aliases=by_alias)


def people_chosen(user, ids) -> list[Person]:
    """Of `ids` (already checked to be ids), the people the user may see, in name order."""
    ids = sorted({int(i) for i in ids})
    return list(people_for(user).filter(pk__in=ids).order_by("full_name", "pk")) if ids else []


def duplicate_matches(user, school, *, name: str, email: str = "", phone: str = "") -> list[PersonFacts]:
    """The duplicate guard: people known at `school` (added there or named in its cases) who may be the person
    typed (matching.candidates: a like name or one of the school's other names for them, the same email or
    phone), each with its facts as `user` sees them and `why` they matched."""
    known = Person.objects.filter(pk__in=PersonSchool.objects.filter(school=school).values("person_id"))
    matches = candidates(known, name=name, email=email, phone=phone, alias_school_ids=[school.pk])
    facts = person_facts(user, [m.person for m in matches])
    for row, match in zip(facts, matches, strict=True):
        row.why, row.alias = match.why, match.alias
    return facts


def staged_uploads_for(user):
    """The evidence files kept for `user` on the incident form (issue 25), not yet stale: nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return StagedUpload.objects.none()
    return StagedUpload.objects.filter(owner=user, created_at__gte=timezone.now() - STAGED_LIFETIME)
