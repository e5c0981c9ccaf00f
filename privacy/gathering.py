"""Everything Conduct holds about one person, as records for a subject access pack.

`gather(person, school_ids)` reads each record type once for all the
person's cases (a constant number of queries however many cases they have)
and returns Gathered records: a PackItem not yet saved and the third-party
names found in it, each to be redacted unless a reviewer releases it.

Third parties: other parents and visitors in the case, witnesses, pupils
other than the person's own children, and staff. Letters are the exact
PDFs sent, so nothing in them is redacted (their author is the school).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Prefetch, Q
from django.utils import timezone

from incidents.models import (
    CaseEvent,
    CodeOfConductGiven,
    Collector,
    Evidence,
    Incident,
    IncidentPerson,
    Involvement,
    ParentConversation,
    Person,
    PersonSchoolNote,
    StaffHarm,
    Statement,
    StatementKind,
)
from privacy import names
from privacy.models import AccessKind, AccessLogEntry, ItemKind, PackItem, RedactionCategory
from sanctions.models import (
    BanReview,
    ChairConsultation,
    Complaint,
    Decision,
    DecisionAction,
    Letter,
    LetterStatus,
    Proposal,
    Representation,
    SiteBan,
)

# Words of a free-text list of names that are not names.
_NOT_NAMES = {"year", "reception", "class", "nursery", "form", "the", "and", "pupil", "pupils", "child", "children",
              "mr", "mrs", "ms", "miss", "mx", "dr", "teacher", "staff", "head", "deputy", "office", "of", "in"}


@dataclass
class Gathered:
    item: PackItem
    terms: dict = field(default_factory=dict)  # term -> RedactionCategory
    incident_id: int | None = None


def staff_name(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
    return f"{value:%-d %b %Y}"


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def name_variants(name: str) -> list[str]:
    """The full name and, for a name of several words, its first and last words (long enough to mean a name)."""
    name = " ".join((name or "").split())
    if not name:
        return []
    words = names.words(name)
    variants = [name]
    if len(words) > 1:
        variants += [w for w in (words[0], words[-1]) if len(w) > 2 and w.lower() not in _NOT_NAMES]
    return variants


def split_names(text: str) -> list[str]:
    """A free-text list of people ("Tom Other (Year 4), Mrs Jones and the class teacher") as its parts."""
    parts = re.split(r"[,;\n/]|\band\b|&", text or "")
    cleaned = []
    for part in parts:
        part = re.sub(r"\([^)]*\)", "", part).strip(" .-")
        if part and any(w.lower() not in _NOT_NAMES for w in names.words(part)):
            cleaned.append(part)
    return cleaned


class Context:
    """Who is the person, who are their children: never redacted for them."""

    def __init__(self, person):
        self.person = person
        own = [person.full_name] if person else []
        self.children = [p.name for p in person.pupils.all()] if person else []
        self.own_names = {n.lower() for n in own + self.children}
        self.own_words = {w for n in own + self.children for w in names.key(n)}

    def is_own(self, name: str) -> bool:
        """The person's or a child's full name, or their first name alone."""
        said = names.key(name)
        return any(said in (own, own[:1]) for own in map(names.key, self.own_names) if own)

    def add(self, gathered: Gathered, name: str, category) -> None:
        name = " ".join((name or "").split())
        if not name or self.is_own(name) or len(name) < 2:
            return
        gathered.terms.setdefault(name, category)

    def add_list(self, gathered: Gathered, text: str, category) -> None:
        for part in split_names(text):
            # Whole names only: the child "Ann Lee" is not in the other pupil "Joann Leeds".
            if not any(names.contains(part, own) for own in self.own_names):
                self.add(gathered, part, category)

    def add_staff(self, gathered: Gathered, *users) -> None:
        for user in users:
            if user is not None:
                self.add(gathered, staff_name(user), RedactionCategory.STAFF)


def _item(kind, *, source, dated, title, fields, school_id=None, incident_id=None, **extra) -> Gathered:
    return Gathered(PackItem(kind=kind, source=source, dated=dated, title=title[:300], school_id=school_id,
                             fields=[[label, str(value)] for label, value in fields if value not in (None, "")],
                             **extra), incident_id=incident_id)


def _source(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _in_scope(school_ids):
    return (lambda school_id: True) if school_ids is None else (lambda school_id: school_id in school_ids)


def gather(person, school_ids) -> list[Gathered]:
    """Every record about `person` at the schools in `school_ids` (None: every school), oldest first."""
    if person is None:
        return []
    person = Person.objects.select_related("added_at_school", "added_by").prefetch_related("pupils").get(pk=person.pk)
    ctx = Context(person)
    in_scope = _in_scope(school_ids)
    found = [_person_record(ctx, in_scope), _person_history(ctx), *_school_notes(ctx, in_scope),
             *_codes_and_collectors(ctx, in_scope)]
    links = {
        link.incident_id: link
        for link in IncidentPerson.objects.filter(person=person).select_related("incident__school",
                                                                                 "incident__logged_by")
        if in_scope(link.incident.school_id)
    }
    incidents = {i: link.incident for i, link in links.items()}
    subject_ids = [i for i, link in links.items() if link.involvement == Involvement.SUBJECT]
    others = _others_by_incident(incidents, person)
    found += _incidents(ctx, incidents, links, others)
    found += _statements(ctx, incidents, subject_ids, others)
    found += _conversations(ctx, incidents, subject_ids, others)
    found += _responses(ctx, incidents, subject_ids, others)
    found += _bans(ctx, person, in_scope, others)
    found += _complaints(ctx, person, in_scope, others)
    found += _letters(person, in_scope)
    found += _evidence(ctx, incidents, subject_ids)
    found += _access_log(ctx, person, list(incidents), in_scope)
    found = [g for g in found if g is not None]
    _share_terms(found)
    found.sort(key=lambda g: (g.item.dated, g.item.kind, g.item.source))
    return found


def _share_terms(found) -> None:
    """A name redacted in one record is redacted in all of them: a witness named in their statement is
    named in the case's timeline too, in the person's own notes, in a file's name. The category the
    name has in the record's own case comes first."""
    everywhere, by_case = {}, {}
    for gathered in found:
        for term, category in gathered.terms.items():
            everywhere.setdefault(term, category)
        if gathered.incident_id is not None:
            by_case.setdefault(gathered.incident_id, {}).update(gathered.terms)
    for gathered in found:
        gathered.terms = {**everywhere, **by_case.get(gathered.incident_id, {}), **gathered.terms}


def _others_by_incident(incidents, person) -> dict:
    """{incident id: [(name, category)]}: the other people in each case and their children."""
    others = {}
    links = (IncidentPerson.objects.filter(incident_id__in=list(incidents)).exclude(person=person)
             .select_related("person").prefetch_related("person__pupils"))
    for link in links:
        witness = link.involvement == Involvement.WITNESS
        category = RedactionCategory.WITNESS if witness else RedactionCategory.OTHER_PERSON
        names = others.setdefault(link.incident_id, [])
        names.append((link.person.full_name, category))
        names += [(pupil.name, RedactionCategory.PUPIL) for pupil in link.person.pupils.all()]
    return others


def _add_others(ctx, gathered, others, incident_id):
    for name, category in others.get(incident_id, []):
        ctx.add(gathered, name, category)


# The person ------------------------------------------------------------------------------


def _person_record(ctx, in_scope) -> Gathered:
    p = ctx.person
    pupils = "; ".join(f"{c.name} ({c.year_group})" if c.year_group else c.name for c in p.pupils.all()
                       if in_scope(c.school_id))
    gathered = _item(ItemKind.PERSON, source=_source(p), dated=p.added_at, title=f"Your record: {p.full_name}", fields=[
        ("Name", p.full_name), ("Title", getattr(p, "title", "")), ("Relationship", p.get_relationship_display()),
        ("Address for letters", p.address), ("Telephone", p.phone), ("Email", p.email),
        ("Pupils connected with you", pupils),
        ("Photo", "A photo is held (for the reception desk's ban register)." if p.photo else ""),
        ("Added", f"{when(p.added_at)} by {staff_name(p.added_by)} at {p.added_at_school.name}"),
    ])
    ctx.add_staff(gathered, p.added_by)
    return gathered


PERSON_FIELDS = [("full_name", "Name"), ("relationship", "Relationship"), ("address", "Address"),
                 ("phone", "Telephone"), ("email", "Email")]


def _school_notes(ctx, in_scope) -> list[Gathered]:
    """Each school's own notes on the person (a shared person's notes are per school), in the pack's scope."""
    found = []
    for note in PersonSchoolNote.objects.filter(person=ctx.person).exclude(notes="").select_related("school"):
        if in_scope(note.school_id):
            versions = list(note.history.select_related("history_user").order_by("history_date", "history_id"))
            # Earlier wordings are data held too: each version, when and by whom.
            changes = "\n".join(f"{when(v.history_date)}: {staff_name(v.history_user)} wrote “{v.notes or '–'}”"
                                 for v in versions)
            gathered = _item(ItemKind.PERSON, source=_source(note), school_id=note.school_id,
                             dated=versions[-1].history_date if versions else ctx.person.added_at,
                             title=f"{note.school.name}'s notes about you",
                             fields=[("Notes", note.notes), ("Changes", changes)])
            ctx.add_staff(gathered, *[v.history_user for v in versions])
            found.append(gathered)
    return found


def _codes_and_collectors(ctx, in_scope) -> list[Gathered]:
    """Per school: when it gave the person the code of conduct, and whom they named as collecting their child.
    The collectors are other adults: their names are redacted unless a reviewer releases them."""
    by_school = {}
    for code in CodeOfConductGiven.objects.filter(person=ctx.person).select_related("school", "recorded_by"):
        if in_scope(code.school_id):
            by_school.setdefault(code.school, ([], []))[0].append(code)
    for collector in Collector.objects.filter(person=ctx.person).select_related("school", "added_by"):
        if in_scope(collector.school_id):
            by_school.setdefault(collector.school, ([], []))[1].append(collector)
    found = []
    for school, (codes, collectors) in sorted(by_school.items(), key=lambda pair: pair[0].pk):
        codes.sort(key=lambda c: (c.given_on, c.pk))
        given = "\n".join(f"{when(c.given_on)}, {c.get_how_display().lower()}" + (f" ({c.note})" if c.note else "")
                          for c in codes)
        named = "\n".join(f"{c.name} ({c.relationship}): " + (f"told of the code on {when(c.told_on)}"
                                                               if c.told_on else "not yet known to have been told")
                          for c in collectors)
        dates = [c.recorded_at for c in codes] + [c.added_at for c in collectors]
        # "coc": the code of conduct and collectors; short, so the source fits its 60 characters at any id.
        gathered = _item(ItemKind.PERSON, source=f"{_source(ctx.person)}:coc:{school.pk}",
                         school_id=school.pk, dated=max(dates),
                         title=f"{school.name}: the code of conduct given to you, and who collects your child",
                         fields=[("The code of conduct given to you", given),
                                 ("People you named as collecting your child", named)])
        for collector in collectors:
            ctx.add(gathered, collector.name, RedactionCategory.THIRD_PARTY)
        found.append(gathered)
    return found


def _person_history(ctx) -> Gathered | None:
    records = list(ctx.person.history.select_related("history_user").order_by("history_date", "history_id"))
    if not records:
        return None
    lines, users, previous = [], [], None
    for record in records:
        users.append(record.history_user)
        who = staff_name(record.history_user)
        if previous is None:
            lines.append(f"{when(record.history_date)}: record created by {who}")
        else:
            changed = [f"{label}: “{getattr(previous, f) or '–'}” → “{getattr(record, f) or '–'}”"
                       for f, label in PERSON_FIELDS if getattr(previous, f) != getattr(record, f)]
            detail = f" ({'; '.join(changed)})" if changed else ""
            lines.append(f"{when(record.history_date)}: changed by {who}{detail}")
        previous = record
    gathered = _item(ItemKind.PERSON_HISTORY, source=f"{_source(ctx.person)}:history", dated=records[-1].history_date,
                     title="Changes to your record", fields=[("History", "\n".join(lines))])
    ctx.add_staff(gathered, *users)
    return gathered


# Cases -----------------------------------------------------------------------------------


def _incidents(ctx, incidents, links, others) -> list[Gathered]:
    if not incidents:
        return []
    categories = {}
    for incident in Incident.objects.filter(pk__in=list(incidents)).prefetch_related("categories"):
        categories[incident.pk] = ", ".join(c.name for c in incident.categories.all())
    events = {}
    for event in CaseEvent.objects.filter(incident_id__in=list(incidents)).select_related("actor").order_by("at", "pk"):
        events.setdefault(event.incident_id, []).append(event)
    harmed = {}
    # Staff harmed are staff: their names (in the timeline's lines) are redacted like any member of staff's.
    for harm in StaffHarm.objects.filter(incident_id__in=list(incidents)).select_related("staff_account"):
        harmed.setdefault(harm.incident_id, []).append(harm)
    found = []
    for pk, incident in incidents.items():
        link = links[pk]
        timeline = "\n".join(f"{when(e.at)}: {e.summary} ({staff_name(e.actor)})" for e in events.get(pk, []))
        gathered = _item(
            ItemKind.INCIDENT, source=_source(incident), dated=incident.occurred_at, school_id=incident.school_id,
            incident_id=pk,
            title=f"Incident {incident.reference} at {incident.school.name}",
            fields=[
                ("Reference", incident.reference), ("When", when(incident.occurred_at)),
                ("Where", f"{incident.get_location_display()}"
                 + (f": {incident.location_detail}" if incident.location_detail else "")),
                ("Your part in it", link.get_involvement_display()),
                ("Breaches of the code of conduct", categories.get(pk, "")),
                ("What happened", incident.description), ("Reported by", incident.reported_by),
                ("Pupils affected", incident.pupils_affected), ("Staff affected", incident.staff_affected),
                ("Logged", f"{when(incident.logged_at)} by {staff_name(incident.logged_by)}"),
                ("Stage", incident.get_stage_display()), ("Outcome", incident.outcome), ("Timeline", timeline),
            ],
        )
        _add_others(ctx, gathered, others, pk)
        ctx.add(gathered, incident.reported_by, RedactionCategory.THIRD_PARTY)
        ctx.add_list(gathered, incident.pupils_affected, RedactionCategory.PUPIL)
        ctx.add_list(gathered, incident.staff_affected, RedactionCategory.STAFF)
        ctx.add_staff(gathered, incident.logged_by, *[e.actor for e in events.get(pk, [])])
        for harm in harmed.get(pk, []):
            ctx.add(gathered, harm.name, RedactionCategory.STAFF)
            ctx.add_staff(gathered, harm.staff_account)
        found.append(gathered)
    return found


STATEMENT_CATEGORY = {
    StatementKind.STAFF: RedactionCategory.STAFF, StatementKind.WITNESS: RedactionCategory.WITNESS,
    StatementKind.PUPIL: RedactionCategory.PUPIL, StatementKind.PARENT: RedactionCategory.OTHER_PERSON,
}


def _statements(ctx, incidents, subject_ids, others) -> list[Gathered]:
    """Every statement in the person's own cases; in cases they witnessed, only their own statement."""
    if not incidents:
        return []
    name = ctx.person.full_name
    wanted = Q(incident_id__in=subject_ids) | Q(incident_id__in=list(incidents), given_by__iexact=name)
    found = []
    for s in Statement.objects.filter(wanted).select_related("taken_by").order_by("taken_on", "pk"):
        incident = incidents[s.incident_id]
        pupil = s.kind == StatementKind.PUPIL
        gathered = _item(
            ItemKind.STATEMENT, source=_source(s), dated=s.taken_on, school_id=incident.school_id,
            incident_id=s.incident_id,
            title=f"{s.get_kind_display()}: statement in {incident.reference}",
            needs_head_decision=pupil,
            fields=[("Given by", s.given_by), ("Taken", f"{when(s.taken_on)} by {staff_name(s.taken_by)}"),
                    ("Also present", s.others_present), ("Statement", s.text)],
        )
        ctx.add(gathered, s.given_by, STATEMENT_CATEGORY[s.kind])
        ctx.add_list(gathered, s.others_present, RedactionCategory.THIRD_PARTY)
        _add_others(ctx, gathered, others, s.incident_id)
        ctx.add_staff(gathered, s.taken_by)
        found.append(gathered)
    return found


def _conversations(ctx, incidents, subject_ids, others) -> list[Gathered]:
    found = []
    for c in ParentConversation.objects.filter(incident_id__in=subject_ids).select_related("recorded_by"):
        incident = incidents[c.incident_id]
        fields = [("Held", when(c.held_on)), ("Who was present", c.present), ("What you said", c.parent_said),
                  ("What was agreed", c.agreed)] if c.took_place else [
            ("Not possible", c.get_not_possible_reason_display()), ("Details", c.not_possible_detail)]
        gathered = _item(ItemKind.CONVERSATION, source=_source(c), dated=c.held_on or c.recorded_at,
                         incident_id=c.incident_id, school_id=incident.school_id,
                         title=f"Conversation with you about {incident.reference}",
                         fields=[*fields, ("Recorded", f"{when(c.recorded_at)} by {staff_name(c.recorded_by)}")])
        ctx.add_list(gathered, c.present, RedactionCategory.STAFF)
        _add_others(ctx, gathered, others, c.incident_id)
        ctx.add_staff(gathered, c.recorded_by)
        found.append(gathered)
    return found


def _responses(ctx, incidents, subject_ids, others) -> list[Gathered]:
    found = []
    for p in Proposal.objects.filter(incident_id__in=subject_ids).select_related("proposed_by"):
        incident = incidents[p.incident_id]
        gathered = _item(ItemKind.PROPOSAL, source=_source(p), dated=p.proposed_at, school_id=incident.school_id,
                         incident_id=p.incident_id,
                         title=f"Proposed response in {incident.reference}",
                         fields=[("Proposed", f"{when(p.proposed_at)} by {staff_name(p.proposed_by)}"),
                                 ("Actions", "; ".join(p.action_labels())), ("Rationale", p.rationale),
                                 ("Why a ban", p.ban_justification), ("Status", p.get_status_display())])
        _add_others(ctx, gathered, others, p.incident_id)
        ctx.add_staff(gathered, p.proposed_by)
        found.append(gathered)
    bans = SiteBan.objects.filter(incident_id__in=subject_ids, person=ctx.person).values_list("pk", flat=True)
    consultations = ChairConsultation.objects.filter(Q(incident_id__in=subject_ids, proposal__isnull=False)
                                                     | Q(ban_id__in=list(bans))).select_related("chair")
    for c in consultations:
        incident = incidents[c.incident_id]
        about = "extending the ban" if c.ban_id else "the proposed ban"
        gathered = _item(ItemKind.CONSULTATION, source=_source(c), dated=_aware(c.consulted_on),
                         incident_id=c.incident_id, school_id=incident.school_id,
                         title=f"Chair's consultation on {about} ({incident.reference})",
                         fields=[("Consulted", f"{when(c.consulted_on)}, {c.get_method_display().lower()}, "
                                  f"with {staff_name(c.chair)}"),
                                 ("The Chair's view", c.chair_view),
                                 ("Signed off", "Yes" if c.signed_off else "No"), ("Reasons", c.reasons_not_signed)])
        _add_others(ctx, gathered, others, c.incident_id)
        ctx.add_staff(gathered, c.chair)
        found.append(gathered)
    actions = {}
    for a in DecisionAction.objects.filter(decision__incident_id__in=subject_ids).select_related("done_by"):
        actions.setdefault(a.decision_id, []).append(a)
    for d in Decision.objects.filter(incident_id__in=subject_ids).select_related("head"):
        incident = incidents[d.incident_id]
        lines = [f"{a.get_kind_display()}: " + (f"done {when(a.done_on)}" + (f" ({a.details})" if a.details else "")
                                                if a.done else "not done yet") for a in actions.get(d.pk, [])]
        gathered = _item(ItemKind.DECISION, source=_source(d), dated=d.decided_at, school_id=incident.school_id,
                         incident_id=d.incident_id,
                         title=f"The head's decision in {incident.reference}",
                         fields=[("Decided", f"{when(d.decided_at)} by {staff_name(d.head)}"),
                                 ("Outcome", d.get_outcome_display()), ("Actions", "; ".join(d.action_labels())),
                                 ("Reasons", d.reasons), ("What was done", "\n".join(lines))])
        _add_others(ctx, gathered, others, d.incident_id)
        ctx.add_staff(gathered, d.head, *[a.done_by for a in actions.get(d.pk, [])])
        found.append(gathered)
    return found


def _bans(ctx, person, in_scope, others) -> list[Gathered]:
    found = []
    bans = [b for b in SiteBan.objects.filter(person=person).select_related("incident__school", "created_by")
            .prefetch_related("sites", Prefetch("reviews", queryset=BanReview.objects.select_related("reviewed_by")))
            if in_scope(b.incident.school_id)]
    for b in bans:
        reviews = "\n".join(f"{when(r.reviewed_on)}: {r.get_outcome_display()}: {r.reasons}" for r in b.reviews.all())
        gathered = _item(
            ItemKind.BAN, source=_source(b), dated=_aware(b.starts_on), school_id=b.incident.school_id,
            incident_id=b.incident_id,
            title=f"Site ban ({b.get_status_display()}), case {b.incident.reference}",
            fields=[("Route", b.get_route_display()), ("Sites", ", ".join(s.name for s in b.sites.all())),
                    ("From", when(b.starts_on)), ("Until", when(b.ends_on)), ("Review by", when(b.review_on)),
                    ("Representations by", when(b.representations_by)),
                    ("Arrangements for the pupil", b.pupil_arrangements), ("Reasons", b.reasons),
                    ("Reviews", reviews), ("Recorded", f"{when(b.created_at)} by {staff_name(b.created_by)}")])
        _add_others(ctx, gathered, others, b.incident_id)
        ctx.add_staff(gathered, b.created_by, *[r.reviewed_by for r in b.reviews.all()])
        found.append(gathered)
    for r in Representation.objects.filter(ban__in=[b.pk for b in bans]).select_related("ban__incident", "recorded_by"):
        gathered = _item(
            ItemKind.REPRESENTATION, source=_source(r), dated=_aware(r.received_on), school_id=r.ban.incident.school_id,
            incident_id=r.ban.incident_id,
            title=f"Your representations about the ban, received {when(r.received_on)}",
            file_name=r.attachment.name if r.attachment else "", original_name=r.attachment_name,
            fields=[("Summary", r.summary), ("Attachment", r.attachment_name),
                    ("Recorded", f"{when(r.recorded_at)} by {staff_name(r.recorded_by)}")])
        _add_others(ctx, gathered, others, r.ban.incident_id)
        ctx.add_staff(gathered, r.recorded_by)
        found.append(gathered)
    return found


def _complaints(ctx, person, in_scope, others) -> list[Gathered]:
    """The complaints the person made (issue 26): what they said, each stage's outcome and its reasons."""
    found = []
    complaints = (Complaint.objects.filter(complainant=person).select_related("incident", "recorded_by")
                  .prefetch_related("steps__decided_by").order_by("received_on", "pk"))
    for c in complaints:
        if not in_scope(c.incident.school_id):
            continue
        steps = [s for s in c.steps.all() if s.outcome]
        outcomes = "\n".join(f"{s.get_stage_display()}: {s.get_outcome_display()} on {when(s.outcome_on)}"
                             f"{f': {s.reasons}' if s.reasons else ''}" for s in steps)
        gathered = _item(
            ItemKind.COMPLAINT, source=_source(c), dated=_aware(c.received_on), school_id=c.incident.school_id,
            incident_id=c.incident_id,
            title=f"Your complaint about {'the ban' if c.ban_id else 'the decision'} in {c.incident.reference}",
            fields=[("Received", when(c.received_on)), ("What the complaint says", c.summary),
                    ("Stage", c.get_stage_display()), ("Outcomes", outcomes),
                    ("Recorded", f"{when(c.recorded_at)} by {staff_name(c.recorded_by)}")])
        _add_others(ctx, gathered, others, c.incident_id)
        ctx.add_staff(gathered, c.recorded_by, *[s.decided_by for s in steps])
        found.append(gathered)
    return found


def _letters(person, in_scope) -> list[Gathered]:
    found = []
    letters = (Letter.objects.filter(person=person, status__in=[LetterStatus.ISSUED, LetterStatus.SUPERSEDED])
               .select_related("incident__school", "issued_by").order_by("issued_at", "pk"))
    for letter in letters:
        if not in_scope(letter.incident.school_id):
            continue
        name = f"letters/{letter.incident.reference}-{letter.kind}-{letter.pk}.pdf"
        found.append(_item(
            ItemKind.LETTER, source=_source(letter), dated=letter.issued_at, school_id=letter.incident.school_id,
            title=f"Letter: {letter.get_kind_display()} ({letter.incident.reference})",
            letter_pdf=bytes(letter.pdf), letter_sha256=letter.sha256, original_name=name,
            fields=[("Issued", f"{when(letter.issued_at)}, {letter.get_sent_by_display().lower()}"),
                    ("Status", "Superseded by a correction" if letter.status == LetterStatus.SUPERSEDED else "Issued"),
                    ("The letter", f"The exact letter sent is enclosed in the ZIP file as {name}."),
                    ("SHA-256", letter.sha256)]))
    return found


def _evidence(ctx, incidents, subject_ids) -> list[Gathered]:
    found = []
    for e in Evidence.objects.filter(incident_id__in=subject_ids).select_related("uploaded_by"):
        incident = incidents[e.incident_id]
        gathered = _item(
            ItemKind.EVIDENCE, source=_source(e), dated=e.uploaded_at, school_id=incident.school_id,
            incident_id=e.incident_id, title=f"Evidence file in {incident.reference}: {e.original_name}",
            needs_decision=True,
            file_name=e.file.name, original_name=e.original_name,
            fields=[("File", e.original_name), ("Type", e.content_type), ("Size", f"{e.size} bytes"),
                    ("Description", e.description), ("Added", f"{when(e.uploaded_at)} by {staff_name(e.uploaded_by)}"),
                    ("SHA-256", e.sha256)])
        ctx.add_staff(gathered, e.uploaded_by)
        found.append(gathered)
    return found


# A look-up's typed text and the other people it matched stay out of the pack: they may name someone else.
LOOKUP_PHRASES = {
    AccessKind.VISITOR_CHECK: "checked a visitor's name at reception against the ban register, which found you",
    AccessKind.REGISTER_EXPORT: "exported the ban register, with you on it, for the visitor sign-in system",
}


def _what_they_did(entry) -> str:
    return LOOKUP_PHRASES.get(entry.kind) or f"viewed {entry.get_kind_display().lower()}"


def _access_log(ctx, person, incident_ids, in_scope) -> list[Gathered]:
    """One record per school: who looked at the person's page, their cases and letters."""
    by_school = {}
    entries = (AccessLogEntry.objects.filter(Q(person_id=person.pk) | Q(incident_id__in=incident_ids))
               .select_related("user").order_by("at", "pk"))
    for entry in entries.iterator(chunk_size=2000):
        if in_scope(entry.school_id):
            by_school.setdefault(entry.school_id, []).append(entry)
    found = []
    for school_id, rows in by_school.items():
        lines = [f"{when(e.at)}: {staff_name(e.user)} {_what_they_did(e)}" for e in rows]
        gathered = _item(ItemKind.ACCESS_LOG, source=f"privacy.accesslogentry:school-{school_id}", dated=rows[-1].at,
                         school_id=school_id, title="Who looked at your records",
                         fields=[("Views", "\n".join(lines))])
        ctx.add_staff(gathered, *{e.user for e in rows})
        found.append(gathered)
    return found
