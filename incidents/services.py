"""Every write to people, incidents, evidence and the case stage.

Each function takes the acting user, checks role, school and stage itself,
runs in one transaction and writes the timeline event the case page shows.
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from simple_history.models import HistoricalChanges

from conduct.audit import audit_log
from conduct.dates import page_date
from conduct.history import full_clean, history_names, save_with_history
from conduct.models import School
from conduct.notifications import notify_roles
from conduct.permissions import has_role, has_trust_role, is_trust_admin, require_school_role, school_ids_with_role
from conduct.roles import CASE_LEADERS, STAFF_WRITERS, Role
from incidents.crossschool import existing_rows, find_pairs
from incidents.models import (
    STAGED_LIFETIME,
    STAGED_MAX_FILES,
    BreachCategory,
    CaseEvent,
    CodeOfConductGiven,
    Collector,
    Evidence,
    Incident,
    IncidentPerson,
    Involvement,
    MatchReason,
    MatchStatus,
    ParentConversation,
    Person,
    PersonAlias,
    PersonMatch,
    PersonMerge,
    PersonSchool,
    PersonSchoolNote,
    Pupil,
    StaffHarm,
    StaffSupport,
    StagedUpload,
    Statement,
    StatementKind,
    riddor_due_on,
)
from incidents.uploads import check_upload, max_upload_bytes, safe_filename
from incidents.workflow import Stage, find_transition, implied_transition, precondition_errors


class ConflictError(Exception):
    """Someone else saved the record since the user opened it."""


def event_record(*, actor, incident, kind, summary, note="", from_stage="", to_stage="") -> CaseEvent:
    return save_with_history(
        CaseEvent(
            incident=incident,
            actor=actor,
            kind=kind,
            summary=summary[:300],
            note=note,
            from_stage=from_stage,
            to_stage=to_stage,
        ),
        actor=actor,
    )


def lock_incident(incident) -> Incident:
    """The case row again, locked for update until the transaction ends (its school loaded)."""
    return Incident.objects.select_for_update(of=("self",)).select_related("school").get(pk=incident.pk)


# People ---------------------------------------------------------------------

# The person's own details, shared by every school that knows them. Notes and pupils are each school's.
PERSON_FIELDS = ("title", "full_name", "salutation", "relationship", "address", "phone", "email")


def require_person_writer(actor, person, school) -> None:
    """Raise unless the actor writes at `school` and `school` knows the person: a school edits only its own
    part of a shared person (its notes and its pupils)."""
    require_school_role(actor, school, STAFF_WRITERS, "edit people")
    if not PersonSchool.objects.filter(person=person, school=school).exists():
        raise PermissionDenied(f"{school} has no record of this person.")


@transaction.atomic
def person_create(*, actor, school, full_name, relationship, address="", phone="", email="",
                  notes="", pupils=(), title="", salutation="", aliases=(), duplicate_of=()) -> Person:
    """`duplicate_of`: the known records the duplicate guard showed, which the user chose to add a new person
    beside (issue 21.2): named in the history's reason and the audit log."""
    require_school_role(actor, school, STAFF_WRITERS, "add people")
    warned = sorted({p.pk: p for p in duplicate_of}.values(), key=lambda p: p.pk)
    reason = "Person added"
    if warned:
        # The history's reason holds 100 characters: the records' numbers (the audit log has them all).
        reason = ("Person added anyway; the duplicate guard showed record "
                  + ", ".join(str(p.pk) for p in warned))[:100]
    person = save_with_history(
        Person(
            title=title,
            full_name=full_name.strip(),
            salutation=salutation.strip(),
            relationship=relationship,
            address=address,
            phone=phone,
            email=email,
            added_at_school=school,
            added_by=actor,
        ),
        reason, actor=actor,
    )
    if warned:
        audit_log(actor, "person_added_despite_match", person, school=school.pk,
                  warned_about=",".join(str(p.pk) for p in warned))
    PersonSchool.objects.add(person, school)
    if notes.strip():
        _notes_write(actor, person, school, notes)
    for pupil in pupils:
        _pupil_link(actor, person, school, pupil)
    for alias in aliases:
        _alias_add(actor, person, school, alias)
    return person


@transaction.atomic
def person_update(*, actor, person, expected_version, school=None, notes=None, link_pupils=(),
                  unlink_pupils=(), add_aliases=(), remove_aliases=(), **fields) -> Person:
    """Edit a person: their shared details (only the adding school's staff), and `school`'s own notes,
    pupils and other names (default: the adding school). `link_pupils` are {"name", "year_group"},
    `add_aliases` {"name", "note"}; `unlink_pupils` and `remove_aliases` are ids of `school`'s own rows."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    school = school or person.added_at_school
    require_person_writer(actor, person, school)
    if person.version != expected_version:
        raise ConflictError("Someone else changed this person since you opened the page.")
    changed = {name: fields[name] for name in PERSON_FIELDS if name in fields and fields[name] != getattr(person, name)}
    if changed:
        # The details are the one shared record: the school that added the person keeps them.
        require_school_role(actor, person.added_at_school, STAFF_WRITERS, "edit a person's details")
    for name, value in changed.items():
        setattr(person, name, value)
    if notes is not None:
        _notes_write(actor, person, school, notes)
    for pupil_id in unlink_pupils:
        _pupil_unlink(actor, person, school, pupil_id)
    for pupil in link_pupils:
        _pupil_link(actor, person, school, pupil)
    for alias_id in remove_aliases:
        _alias_remove(actor, person, school, alias_id)
    for alias in add_aliases:
        _alias_add(actor, person, school, alias)
    # The row is locked, so a plain increment is safe. The version guards the whole edit page, a school's
    # part included; the person's history records only changes to the person.
    person.version += 1
    full_clean(person)
    history_names(person, actor)
    if changed:
        person._change_reason = "Person edited"
        person.save()
    else:
        person.save_without_historical_record()
    return person


def _notes_write(actor, person, school, notes) -> None:
    note = PersonSchoolNote.objects.select_for_update().filter(person=person, school=school).first()
    if note is None:
        if not notes.strip():
            return
        note = PersonSchoolNote(person=person, school=school)
    elif note.notes == notes:
        return
    note.notes = notes
    save_with_history(note, "Notes edited", actor=actor)


def _pupil_link(actor, person, school, pupil) -> None:
    name = pupil.get("name", "").strip()
    if name:
        year_group = pupil.get("year_group", "").strip()
        save_with_history(Pupil(person=person, school=school, name=name, year_group=year_group), "Pupil linked",
                          actor=actor)


def _pupil_unlink(actor, person, school, pupil_id) -> None:
    pupil = Pupil.objects.filter(pk=pupil_id, person=person, school=school).first()
    if pupil is None:
        # Another school's link, or none at all: the same answer, so nothing is learnt about either.
        raise PermissionDenied("That pupil is not linked to this person by your school.")
    pupil._change_reason = "Pupil unlinked"
    history_names(pupil, actor)
    pupil.delete()


def _alias_add(actor, person, school, alias) -> None:
    name = alias.get("name", "").strip()
    if name and not PersonAlias.objects.filter(person=person, school=school, name__iexact=name).exists():
        save_with_history(PersonAlias(person=person, school=school, name=name, note=alias.get("note", "").strip(),
                                      added_by=actor), "Other name added", actor=actor)


def _alias_remove(actor, person, school, alias_id) -> None:
    alias = PersonAlias.objects.filter(pk=alias_id, person=person, school=school).first()
    if alias is None:
        raise PermissionDenied("That name is not one your school recorded for this person.")
    alias._change_reason = "Other name removed"
    history_names(alias, actor)
    alias.delete()


# The code of conduct given, and who collects the child (issue 26) ---------------------------------------

# How many collectors one school may name for one person: enough for any family, and the person page and the
# ban form's choices stay short.
MAX_COLLECTORS = 20


def _not_in_future(field, day) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: "This date is in the future: record it once it has happened."})


@transaction.atomic
def code_given_record(*, actor, person, school, given_on, how, note="") -> CodeOfConductGiven:
    """Record that `school` gave `person` the parent code of conduct on `given_on`, and how."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_person_writer(actor, person, school)
    _not_in_future("given_on", given_on)
    return save_with_history(CodeOfConductGiven(person=person, school=school, given_on=given_on, how=how,
                                                note=note.strip(), recorded_by=actor),
                             "Code of conduct given", actor=actor)


@transaction.atomic
def code_given_remove(*, actor, record) -> None:
    """Remove an entry recorded by mistake; its history keeps what it said, who removed it and when."""
    record = CodeOfConductGiven.objects.select_for_update().select_related("school").get(pk=record.pk)
    require_person_writer(actor, record.person, record.school)
    record._change_reason = "Code of conduct entry removed"
    history_names(record, actor)
    record.delete()


@transaction.atomic
def collector_add(*, actor, person, school, name, relationship, told_on=None) -> Collector:
    """Someone `person` named as collecting their child, as `school` records it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_person_writer(actor, person, school)
    if Collector.objects.filter(person=person, school=school).count() >= MAX_COLLECTORS:
        raise ValidationError(f"{school} already names {MAX_COLLECTORS} people collecting for {person}: "
                              "remove one who no longer collects first.")
    _not_in_future("told_on", told_on)
    return save_with_history(Collector(person=person, school=school, name=name.strip(),
                                       relationship=relationship.strip(), told_on=told_on, added_by=actor),
                             "Collector named", actor=actor)


@transaction.atomic
def collector_update(*, actor, collector, name, relationship, told_on=None) -> Collector:
    collector = Collector.objects.select_for_update().select_related("school").get(pk=collector.pk)
    require_person_writer(actor, collector.person, collector.school)
    _not_in_future("told_on", told_on)
    collector.name, collector.relationship, collector.told_on = name.strip(), relationship.strip(), told_on
    return save_with_history(collector, "Collector edited", actor=actor)


@transaction.atomic
def collector_remove(*, actor, collector) -> None:
    collector = Collector.objects.select_for_update().select_related("school").get(pk=collector.pk)
    require_person_writer(actor, collector.person, collector.school)
    collector._change_reason = "Collector removed"
    history_names(collector, actor)
    collector.delete()


# Merging two records of one person (issue 21.4) ---------------------------------------------------------

# The rows person_merge moves itself, one by one with their history; every other relation to a person
# (the floors above: bans, letters, requests; every history table) is found by walking Person's relations.
_MERGED_HERE = {IncidentPerson, Pupil, PersonSchoolNote, PersonSchool, PersonAlias, PersonMatch}


def person_merge_schools(people) -> set:
    """Ids of every school where any of `people` is known (PersonSchool), the adding schools included."""
    ids = {p.pk for p in people}
    known = set(PersonSchool.objects.filter(person_id__in=ids).values_list("school_id", flat=True))
    return known | {p.added_at_school_id for p in people}


def may_merge_people(user, people) -> bool:
    """The DPO and the trust administrator merge across the trust; a head merges records known only at schools
    they head. Nobody else, and no record known at a school the user does not head."""
    if has_trust_role(user, Role.DPO) or is_trust_admin(user):
        return True
    headed = school_ids_with_role(user, {Role.HEAD})
    return bool(headed) and person_merge_schools(people) <= headed


def _merge_links(actor, survivor, duplicate, reason) -> tuple[int, list[int]]:
    """The duplicate's case links follow the survivor; a case naming both keeps one link, the subject's if
    either was. Returns (links moved or joined, the cases affected)."""
    theirs = {link.incident_id: link for link in IncidentPerson.objects.select_for_update().filter(person=survivor)}
    cases = []
    for link in IncidentPerson.objects.select_for_update().filter(person=duplicate).order_by("pk"):
        cases.append(link.incident_id)
        kept = theirs.get(link.incident_id)
        if kept is None:
            link.person = survivor
            save_with_history(link, reason, actor=actor)
            continue
        if link.involvement == Involvement.SUBJECT and kept.involvement != Involvement.SUBJECT:
            kept.involvement = Involvement.SUBJECT
            save_with_history(kept, reason, actor=actor)
        link._change_reason = reason
        history_names(link, actor)
        link.delete()
    return len(cases), cases


def _merge_school_parts(actor, survivor, duplicate, reason, known_at) -> dict:
    """Pupils, notes, other names and the schools that know them: each school's part follows the survivor.
    The duplicate's name becomes another name of the survivor at every school that knew the duplicate."""
    moved = {"pupils": 0, "notes": 0, "aliases": 0, "schools": 0}
    for pupil in Pupil.objects.select_for_update().filter(person=duplicate).order_by("pk"):
        pupil.person = survivor
        save_with_history(pupil, reason, actor=actor)
        moved["pupils"] += 1
    notes = {n.school_id: n for n in PersonSchoolNote.objects.select_for_update().filter(person=survivor)}
    for note in PersonSchoolNote.objects.select_for_update().filter(person=duplicate).order_by("pk"):
        moved["notes"] += 1
        kept = notes.get(note.school_id)
        if kept is None:
            note.person = survivor
            save_with_history(note, reason, actor=actor)
            continue
        # One school's notes on both records: both texts kept, the survivor's first.
        joined = "\n\n".join(text for text in (kept.notes.strip(), note.notes.strip()) if text)
        if joined != kept.notes:
            kept.notes = joined
            save_with_history(kept, reason, actor=actor)
        note._change_reason = reason
        history_names(note, actor)
        note.delete()
    names = {(a.school_id, a.name.casefold()) for a in PersonAlias.objects.filter(person=survivor)}
    for alias in PersonAlias.objects.select_for_update().filter(person=duplicate).order_by("pk"):
        moved["aliases"] += 1
        if (alias.school_id, alias.name.casefold()) in names or alias.name.casefold() == survivor.full_name.casefold():
            alias._change_reason = reason
            history_names(alias, actor)
            alias.delete()
            continue
        names.add((alias.school_id, alias.name.casefold()))
        alias.person = survivor
        save_with_history(alias, reason, actor=actor)
    if duplicate.full_name.strip().casefold() != survivor.full_name.strip().casefold():
        for school_id in sorted(known_at):
            if (school_id, duplicate.full_name.strip().casefold()) not in names:
                save_with_history(PersonAlias(person=survivor, school_id=school_id, name=duplicate.full_name.strip(),
                                              note="merged record", added_by=actor), reason, actor=actor)
    survivor_schools = set(PersonSchool.objects.filter(person=survivor).values_list("school_id", flat=True))
    for school_id in sorted(known_at - survivor_schools):
        PersonSchool.objects.get_or_create(person=survivor, school_id=school_id)
        moved["schools"] += 1
    PersonSchool.objects.filter(person=duplicate).delete()
    return moved


def _merge_matches(actor, survivor, duplicate, reason) -> int:
    """The trust's cross-school pairs follow the survivor. A pair of the two records themselves is settled by
    the merge, and a pair that now repeats another is dropped."""
    rows = list(PersonMatch.objects.select_for_update()
                .filter(Q(person=duplicate) | Q(other_person=duplicate)).order_by("pk"))
    moved = 0
    for match in rows:
        joined_itself = {match.person_id, match.other_person_id} == {survivor.pk, duplicate.pk}
        match.person_id = survivor.pk if match.person_id == duplicate.pk else match.person_id
        match.other_person_id = survivor.pk if match.other_person_id == duplicate.pk else match.other_person_id
        repeats = PersonMatch.objects.filter(school_id=match.school_id, person_id=match.person_id,
                                             other_school_id=match.other_school_id,
                                             other_person_id=match.other_person_id).exclude(pk=match.pk).exists()
        match._change_reason = reason
        history_names(match, actor)
        if joined_itself or repeats:
            match.delete()
        else:
            save_with_history(match, reason, actor=actor)
            moved += 1
    return moved


def _merge_other_rows(actor, survivor, duplicate, reason) -> dict:
    """Every other row pointing at the duplicate, in this app or the floors above (which this one may not
    import): found through Person's relations, so a model added later follows without a change here."""
    moved = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created:
            continue
        model, field = relation.related_model, relation.field
        if model in _MERGED_HERE or model is Person:
            continue
        rows = model._default_manager.filter(**{field.attname: duplicate.pk})
        if issubclass(model, HistoricalChanges) or not hasattr(model, "history"):
            # History rows (and rows that keep none) are moved in one statement: a history row records
            # what was, and now names the record that survives.
            count = rows.update(**{field.attname: survivor.pk})
        else:
            # No full_clean: only the person changes, to a locked record that exists, and a model's own
            # checks of its other fields (an ended ban's dates) must not stop the merge.
            count = 0
            for row in rows.select_for_update().order_by("pk"):
                setattr(row, field.attname, survivor.pk)
                row._change_reason = reason
                history_names(row, actor)
                # Model.save, not the model's own: an issued letter refuses any change through Letter.save,
                # and only its person moves here. update_fields writes that one column, so the letter's
                # frozen bytes and hash are never rewritten; the history row names the merge.
                models.Model.save(row, update_fields=[field.attname])
                count += 1
        if count:
            moved[f"{model._meta.label}.{field.name}"] = count
    return moved


@transaction.atomic
def person_merge(*, actor, survivor, duplicate, reason) -> PersonMerge:
    """Make two records of one person one: every row that names `duplicate` (case links, pupils, notes,
    other names, bans, letters, requests, history) follows `survivor`, and `duplicate` is deleted (its own
    history stays, the deletion saying where it went). Issued letters keep their bytes."""
    if survivor.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged into itself.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why these are the same person."})
    # Both locked, lower number first, so two merges of the same pair cannot deadlock.
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
              .order_by("pk")}
    if len(locked) != 2:
        raise ValidationError("One of the records no longer exists (merged or removed meanwhile).")
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if not may_merge_people(actor, [survivor, duplicate]):
        raise PermissionDenied("Only the head of every school that knows both records, the data protection "
                               "officer or the trust administrator may merge them.")
    known_at = person_merge_schools([duplicate])
    details = {name: getattr(duplicate, name) for name in PERSON_FIELDS} | {
        "added_at_school": duplicate.added_at_school_id, "added_at": duplicate.added_at.isoformat()}
    summary = f"Person records merged: {duplicate.full_name} (#{duplicate.pk}) into {survivor.full_name}"
    history_reason = f"{summary} (#{survivor.pk})"
    links, cases = _merge_links(actor, survivor, duplicate, history_reason)
    moved = {"incident_links": links}
    moved |= _merge_school_parts(actor, survivor, duplicate, history_reason, known_at)
    moved["matches"] = _merge_matches(actor, survivor, duplicate, history_reason)
    moved |= _merge_other_rows(actor, survivor, duplicate, history_reason)
    merged_id, merged_name = duplicate.pk, duplicate.full_name
    duplicate._change_reason = f"merged into #{survivor.pk}"
    history_names(duplicate, actor)
    duplicate.delete()
    survivor.version += 1
    save_with_history(survivor, history_reason, actor=actor)
    merge = save_with_history(PersonMerge(survivor=survivor, merged_person_id=merged_id, merged_name=merged_name,
                                          merged_details=details, moved=moved, reason=reason.strip(),
                                          merged_by=actor), history_reason, actor=actor)
    for incident in Incident.objects.filter(pk__in=cases).order_by("pk"):
        event_record(actor=actor, incident=incident, kind="person_merged", summary=summary, note=reason.strip())
    audit_log(actor, "person_merged", survivor, merged=merged_id, cases=len(cases),
              moved=",".join(f"{kind}:{count}" for kind, count in sorted(moved.items())))
    return merge


# Incidents --------------------------------------------------------------------


def _next_reference(school: School, when) -> str:
    # The school row is locked by the caller, so two loggers cannot take the
    # same number; the unique constraint is the backstop.
    School.objects.select_for_update().filter(pk=school.pk).first()
    prefix = f"{school.code.upper()}-{when.year}-"
    # Each school counts its own cases: school "asp-2026" writes "ASP-2026-2026-…", which also
    # starts with school asp's prefix, and must not move asp's numbers on.
    last = (Incident.objects.filter(school=school, reference__startswith=prefix)
            .order_by(Length("reference").desc(), "-reference").values_list("reference", flat=True).first())
    number = int(last.removeprefix(prefix)) if last and last.removeprefix(prefix).isdigit() else 0
    while Incident.objects.filter(reference=(reference := f"{prefix}{number + 1:04d}")).exists():
        number += 1  # another school's case holds this reference (a code given up and taken again)
    return reference


@transaction.atomic
def incident_create(*, actor, school, occurred_at, location, description, categories, subjects,
                    witnesses=(), location_detail="", pupils_affected="", staff_affected="",
                    reported_by, evidence_files=(), staged_files=(), notify_what="has been logged") -> Incident:
    """Log a case. `evidence_files` are (upload, description) pairs; `staged_files` (StagedUpload, description)
    pairs, the files the actor chose while the form had an error, which become evidence and are let go.
    The school's case leaders are told (`notify_what` says what the case is), after the commit."""
    require_school_role(actor, school, STAFF_WRITERS, "log incidents")
    categories = list(categories)
    subjects = list(subjects)
    witnesses = [w for w in witnesses if w not in subjects]
    if not subjects:
        raise ValidationError({"subjects": "Name at least one person the incident is about."})
    if not categories:
        raise ValidationError({"categories": "Choose at least one breach of the code of conduct."})
    retired = [c.name for c in categories if not c.active]
    if retired:
        raise ValidationError({"categories": f"These categories are retired: {', '.join(retired)}."})
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The incident cannot have happened in the future."})
    now = timezone.now()
    incident = Incident(
        school=school,
        reference=_next_reference(school, now),
        occurred_at=occurred_at,
        location=location,
        location_detail=location_detail,
        description=description,
        pupils_affected=pupils_affected,
        staff_affected=staff_affected,
        reported_by=reported_by,
        logged_by=actor,
        logged_at=now,
        stage=Stage.REPORTED,
        stage_changed_at=now,
    )
    save_with_history(incident, "Incident logged", actor=actor)
    incident.categories.set(categories)
    for involvement, people in ((Involvement.SUBJECT, subjects), (Involvement.WITNESS, witnesses)):
        for person in people:
            save_with_history(IncidentPerson(incident=incident, person=person, involvement=involvement), actor=actor)
    for person in [*subjects, *witnesses]:
        PersonSchool.objects.add(person, school)
    event_record(
        actor=actor, incident=incident, kind="logged", summary="Incident logged",
        to_stage=Stage.REPORTED,
    )
    person_matches_raise(actor=actor, incident=incident)
    for upload, note in evidence_files:
        _evidence_store(actor=actor, incident=incident, upload=upload, description=note)
    for staged, note in staged_files:
        _staged_attach(actor=actor, incident=incident, staged=staged, description=note)
    # Senior leaders and the head lead the case from here, so they hear of it at once (or in their digest).
    notify_roles(actor=actor, school=school, roles=CASE_LEADERS, incident=incident, what=notify_what)
    return incident


def _evidence_store(*, actor, incident, upload, description) -> Evidence:
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_filename(upload.name)
    evidence = Evidence(
        incident=incident,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=actor,
    )
    evidence.file.save(name, upload, save=False)
    save_with_history(evidence, "Evidence added", actor=actor)
    event_record(actor=actor, incident=incident, kind="evidence", summary=f"Evidence added: {name}")
    return evidence


@transaction.atomic
def evidence_add(*, actor, incident, upload, description="") -> Evidence:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, STAFF_WRITERS, "add evidence")
    if incident.stage == Stage.CLOSED:
        raise ValidationError("The case is closed: reopen it before adding evidence.")
    return _evidence_store(actor=actor, incident=incident, upload=upload, description=description)



# Evidence kept across a form error (issue 25) ---------------------------------------------
# A file chosen on the incident form is kept, for its uploader and school only, when the form comes back with an
# error, so it need not be chosen again. It becomes evidence when the incident is logged; otherwise it goes
# when the user removes it or when it is stale (staged_upload_purge, run by each staging and by
# `manage.py purge_staged_uploads`).


def staged_max_bytes() -> int:
    """All of one user's kept files together: five files at the largest size an upload may have."""
    return 5 * max_upload_bytes()


@transaction.atomic
def staged_upload_create(*, actor, school, upload) -> StagedUpload:
    """Keep one checked upload for `actor` at `school`; ValidationError when it is refused or over the limits."""
    require_school_role(actor, school, STAFF_WRITERS, "log incidents")
    content_type = check_upload(upload)
    # Each staging clears some stale files: the user's own, and a few of anyone's (the command does the rest).
    staged_upload_purge(owner=actor)
    staged_upload_purge(limit=20)
    kept = StagedUpload.objects.filter(owner=actor, created_at__gte=timezone.now() - STAGED_LIFETIME)
    if kept.count() >= STAGED_MAX_FILES:
        raise ValidationError(f"At most {STAGED_MAX_FILES} files can be kept while the form has errors.",
                              code="staged_too_many")
    if (kept.aggregate(total=models.Sum("size"))["total"] or 0) + upload.size > staged_max_bytes():
        raise ValidationError("The files kept while the form has errors would be too large together.",
                              code="staged_too_large")
    name = safe_filename(upload.name)
    staged = StagedUpload(owner=actor, school=school, original_name=name, content_type=content_type,
                          size=upload.size)
    staged.file.save(name, upload, save=False)
    full_clean(staged)
    staged.save()
    return staged


@transaction.atomic
def staged_upload_discard(*, actor, staged) -> None:
    """The user removed a kept file from the form: the row and the file go."""
    if staged.owner_id != actor.pk:
        raise PermissionDenied("That file was kept for someone else.")
    _staged_delete(staged)


@transaction.atomic
def staged_upload_purge(*, owner=None, now=None, limit=500) -> int:
    """Delete stale kept files (all users', or one `owner`'s), at most `limit` at a time; the number deleted.
    Safe on several servers at once: a row another server deleted first is simply not there."""
    stale = StagedUpload.objects.filter(created_at__lt=(now or timezone.now()) - STAGED_LIFETIME)
    if owner is not None:
        stale = stale.filter(owner=owner)
    rows = list(stale.order_by("created_at", "pk")[:limit])
    for staged in rows:
        _staged_delete(staged)
    return len(rows)


def _staged_attach(*, actor, incident, staged, description) -> Evidence:
    # The service checks again what the form checked: the actor's own file, kept for this school.
    if staged.owner_id != actor.pk or staged.school_id != incident.school_id:
        raise ValidationError({"staged": "A kept file belongs to another user or school: remove it."})
    with staged.file.open("rb") as handle:
        evidence = _evidence_store(actor=actor, incident=incident, upload=File(handle, name=staged.original_name),
                                   description=description)
    _staged_delete(staged)
    return evidence


def _staged_delete(staged) -> None:
    name, storage = staged.file.name, staged.file.storage
    StagedUpload.objects.filter(pk=staged.pk).delete()
    # The file goes once the row's deletion is committed: a rolled-back transaction keeps both.
    transaction.on_commit(lambda: storage.delete(name))



# Information gathering ------------------------------------------------------------

_STATEMENT_STAGES = {Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION}


@transaction.atomic
def statement_add(*, actor, incident, kind, given_by, taken_on, text, others_present="") -> Statement:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "take statements")
    if incident.stage not in _STATEMENT_STAGES:
        raise ValidationError(
            "Statements are taken while information is gathered; this case is "
            f"at “{Stage(incident.stage).label}”."
        )
    if kind == StatementKind.PUPIL and not others_present.strip():
        raise ValidationError(
            {"others_present": "Say who else was present when the pupil gave their account."}
        )
    statement = save_with_history(
        Statement(
            incident=incident, kind=kind, given_by=given_by, taken_on=taken_on, text=text,
            others_present=others_present, taken_by=actor,
        ),
        "Statement recorded", actor=actor,
    )
    # The pupil's name stays out of the timeline line, which office staff see.
    who = "the pupil" if kind == StatementKind.PUPIL else given_by
    event_record(
        actor=actor, incident=incident, kind="statement",
        summary=f"Statement recorded ({StatementKind(kind).label.lower()}): {who}",
    )
    statement.incident = _move_with_records(actor=actor, incident=incident)
    return statement


@transaction.atomic
def conversation_record(*, actor, incident, took_place, held_on=None, present="", parent_said="",
                        agreed="", not_possible_reason="", not_possible_detail="") -> ParentConversation:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "record the parent conversation")
    # Recording it at "Reported" starts information gathering too (_move_with_records, below).
    if incident.stage not in _STATEMENT_STAGES:
        raise ValidationError(
            "The parent conversation is recorded before a response is proposed; this case is "
            f"at “{Stage(incident.stage).label}”."
        )
    if took_place:
        errors = {}
        if not held_on:
            errors["held_on"] = "Give the date of the conversation."
        if not parent_said.strip():
            errors["parent_said"] = "Record what the parent said."
        if errors:
            raise ValidationError(errors)
        not_possible_reason = ""
    elif not not_possible_reason:
        raise ValidationError({"not_possible_reason": "Say why the conversation could not happen."})
    conversation = save_with_history(
        ParentConversation(
            incident=incident, took_place=took_place, held_on=held_on if took_place else None,
            present=present, parent_said=parent_said, agreed=agreed,
            not_possible_reason=not_possible_reason, not_possible_detail=not_possible_detail,
            recorded_by=actor,
        ),
        "Parent conversation recorded", actor=actor,
    )
    summary = (
        "Conversation with the parent recorded"
        if took_place
        else f"Conversation not possible: {conversation.get_not_possible_reason_display().lower()}"
    )
    event_record(actor=actor, incident=incident, kind="conversation", summary=summary)
    conversation.incident = _move_with_records(actor=actor, incident=incident)
    return conversation


def _move_with_records(*, actor, incident) -> Incident:
    """Make the moves the case's records now imply (`Transition.implied_by`), one after another, each
    through incident_transition with its timeline event, in the caller's transaction.

    A move stops, leaving the case where it is and the record saved, when the actor does not hold the
    move's role (someone who does makes it with the bare button) or a precondition is not met yet (a
    conversation recorded before any statement leaves the case gathering; the first statement then
    moves it on). Returns the case as it now is.
    """
    while (move := implied_transition(incident.stage)) is not None:
        if not has_role(actor, incident.school, move.roles):
            break
        if not any(getattr(incident, related).exists() for related in sorted(move.implied_by)):
            break
        if precondition_errors(incident, move.source, move.target):
            break
        incident = incident_transition(actor=actor, incident=incident, to_stage=move.target)
    return incident


# The stage ----------------------------------------------------------------------


@transaction.atomic
def incident_transition(*, actor, incident, to_stage, note="", summary="", outcome=None) -> Incident:
    """The only code that changes a case's stage.

    Checks the table of allowed moves, the actor's role at the case's school
    and every registered precondition, then records the timeline event and the
    history reason in the same transaction.
    """
    incident = lock_incident(incident)
    source = incident.stage
    transition = find_transition(source, to_stage)
    if transition is None:
        raise ValidationError(
            f"A case cannot move from “{Stage(source).label}” to “{Stage(to_stage).label}”."
        )
    require_school_role(actor, incident.school, transition.roles, transition.label.lower())
    errors = precondition_errors(incident, source, to_stage)
    # Closing and reopening are the incident's own business: whoever calls,
    # a closed case has an outcome and a reopened one says why.
    if to_stage == Stage.CLOSED and not (incident.outcome if outcome is None else outcome).strip():
        errors.append("Summarise the outcome of the case.")
    if source == Stage.CLOSED and not note.strip():
        errors.append("Say why the case is reopened.")
    if errors:
        raise ValidationError(errors)
    if outcome is not None:
        incident.outcome = outcome
    incident.stage = to_stage
    incident.stage_changed_at = timezone.now()
    incident.version += 1
    full_clean(incident)
    incident._change_reason = summary or transition.label
    history_names(incident, actor)
    incident.save()
    event_record(
        actor=actor, incident=incident, kind="stage",
        summary=summary or f"{Stage(source).label} → {Stage(to_stage).label}",
        note=note, from_stage=source, to_stage=to_stage,
    )
    return incident


def _has_statement(incident):
    if not incident.statements.exists():
        return "Record at least one statement before moving to the parent conversation."
    return None


def _has_conversation(incident):
    if not incident.conversations.exists():
        return "Record the conversation with the parent, or why it could not happen, first."
    return None


def register_preconditions():
    """The workflow's stage moves that need this app's records (a statement, a conversation)."""
    from incidents.workflow import register_precondition

    register_precondition(Stage.GATHERING, Stage.CONVERSATION, _has_statement)
    for target in (Stage.PROPOSED, Stage.AWAITING_CHAIR):
        register_precondition(Stage.CONVERSATION, target, _has_conversation)


def category_choices():
    return BreachCategory.objects.filter(active=True)


# Staff harmed and RIDDOR (issue 26) ----------------------------------------------------------------------------
# Office, senior leaders and the head record who was harmed and their days off; senior leaders and the head record
# the support offered and the report to the HSE. Days off and the RIDDOR report come later, often after the case
# has closed, so only a new harm waits for an open case.


def staff_at_school(school):
    """The staff accounts of `school`: whom a harm's `staff_account` may name."""
    return (get_user_model().objects.filter(staff_roles__school=school, is_active=True).distinct()
            .order_by("first_name", "last_name", "username"))


def _check_staff_account(staff_account, school) -> None:
    if staff_account is not None and not staff_at_school(school).filter(pk=staff_account.pk).exists():
        raise ValidationError({"staff_account": "Choose an account of a member of staff at this school."})


def _days(n) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _riddor_note(harm) -> str:
    if harm.riddor_outstanding:
        return f" RIDDOR report due by {page_date(harm.riddor_due_on)}."
    if harm.to_record:
        return " Over 3 days off: record the injury."
    return ""


def lock_staff_harm(harm) -> StaffHarm:
    """The harm and its case, both locked (the case first, as every service locks it)."""
    incident = lock_incident(harm.incident)
    harm = StaffHarm.objects.select_for_update(of=("self",)).get(pk=harm.pk)
    harm.incident = incident
    return harm


@transaction.atomic
def staff_harm_record(*, actor, incident, name, what_happened, injury, days_off=0,
                      staff_account=None) -> StaffHarm:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, STAFF_WRITERS, "record staff harmed")
    if incident.stage == Stage.CLOSED:
        raise ValidationError("The case is closed: reopen it to record a member of staff harmed.")
    _check_staff_account(staff_account, incident.school)
    harm = save_with_history(
        StaffHarm(incident=incident, name=name.strip(), staff_account=staff_account, what_happened=what_happened,
                  injury=injury, days_off=days_off, riddor_due_on=riddor_due_on(incident, injury, days_off),
                  recorded_by=actor),
        "Member of staff harmed recorded", actor=actor,
    )
    event_record(actor=actor, incident=incident, kind="staff_harm",
                 summary=f"Member of staff harmed recorded: {harm.name} ({harm.get_injury_display().lower()}, "
                         f"{_days(harm.days_off)} off).{_riddor_note(harm)}")
    return harm


@transaction.atomic
def staff_harm_days_update(*, actor, harm, days_off, expected_version) -> StaffHarm:
    """The days off work as they are now known; a change may make a RIDDOR report due, or no longer due."""
    harm = lock_staff_harm(harm)
    require_school_role(actor, harm.incident.school, STAFF_WRITERS, "update days off")
    if harm.version != expected_version:
        raise ConflictError("Someone else changed this record since you opened the page.")
    before = harm.days_off
    harm.days_off = days_off
    harm.riddor_due_on = riddor_due_on(harm.incident, harm.injury, days_off)
    harm.version += 1
    save_with_history(harm, "Days off updated", actor=actor)
    event_record(actor=actor, incident=harm.incident, kind="staff_harm_days",
                 summary=f"Days off work for {harm.name}: {before} → {days_off}.{_riddor_note(harm)}")
    return harm


@transaction.atomic
def staff_support_record(*, actor, harm, what, offered_on) -> StaffSupport:
    harm = lock_staff_harm(harm)
    require_school_role(actor, harm.incident.school, CASE_LEADERS, "record support offered")
    if offered_on < timezone.localtime(harm.incident.occurred_at).date():
        raise ValidationError({"offered_on": "Support is offered on or after the day of the incident."})
    support = save_with_history(StaffSupport(harm=harm, what=what, offered_on=offered_on, recorded_by=actor),
                                "Support offered recorded", actor=actor)
    event_record(actor=actor, incident=harm.incident, kind="staff_support",
                 summary=f"Support offered to {harm.name} recorded ({page_date(offered_on)})")
    return support


@transaction.atomic
def staff_harm_riddor_report(*, actor, harm, reported_on, reference, made_by) -> StaffHarm:
    """Record the report made to the HSE: the deadline leaves the work list and the case."""
    harm = lock_staff_harm(harm)
    require_school_role(actor, harm.incident.school, CASE_LEADERS, "record a RIDDOR report")
    if harm.riddor_due_on is None:
        raise ValidationError("This injury is not reportable under RIDDOR: no physical injury, or 7 days off "
                              "work or fewer.")
    if harm.riddor_reported_on is not None:
        raise ValidationError(f"The report was recorded already ({page_date(harm.riddor_reported_on)}, "
                              f"reference {harm.riddor_reference}).")
    if reported_on < timezone.localtime(harm.incident.occurred_at).date():
        raise ValidationError({"reported_on": "The report is made on or after the day of the incident."})
    harm.riddor_reported_on, harm.riddor_reference = reported_on, reference.strip()
    harm.riddor_made_by, harm.riddor_recorded_by = made_by.strip(), actor
    harm.version += 1
    save_with_history(harm, "RIDDOR report recorded", actor=actor)
    late = " (after the deadline)" if reported_on > harm.riddor_due_on else ""
    event_record(actor=actor, incident=harm.incident, kind="riddor_report",
                 summary=f"RIDDOR report for {harm.name} made to the HSE on {page_date(reported_on)}{late}, "
                         f"reference {harm.riddor_reference}")
    return harm


# The trust's schools told, not shown (issue 21.5) ------------------------------------------------------------


@transaction.atomic
def person_matches_raise(*, actor, incident) -> list[PersonMatch]:
    """Raise (or raise again) an alert for every person named on `incident` whom another school of the trust
    holds records about: a ban in force or starting, or a case in the last year, about the same record or a
    likely match (a like name and the same email, phone or address). Both schools' heads and the DPO are told
    which school to contact, and nothing of its cases. A pair found not to be the same person is never raised
    again; one confirmed the same stays confirmed. Called by every service that names a person on a case, in
    its transaction."""
    people = [link.person for link in IncidentPerson.objects.filter(incident=incident).select_related("person")]
    found = find_pairs(incident, people)
    existing = existing_rows(found)
    raised = []
    for pair in found:
        key = pair.ordered()
        row = existing.get((key["school_id"], key["person_id"], key["other_school_id"], key["other_person_id"]))
        if row is not None and row.status != MatchStatus.OPEN:
            continue  # decided: "not the same" stops the alert; "the same" needs no new one
        if row is None:
            row = PersonMatch(**key, reason=pair.reason, status=MatchStatus.OPEN, raised_at=timezone.now())
            why = "Alert raised"
        else:
            row.raised_at = timezone.now()
            if pair.reason == MatchReason.SAME_RECORD:
                row.reason = pair.reason
            why = "Alert raised again"
        save_with_history(row, f"{why}: named on a case at school {incident.school_id}", actor=actor)
        audit_log(actor, "person_match_raised", row, reason=row.reason, school=row.school_id,
                  other_school=row.other_school_id, named_at=incident.school_id)
        raised.append(row)
    return raised


def require_match_decider(actor, match) -> None:
    """The head of either school of the pair, or the DPO, decides whether the two records are one adult."""
    if has_trust_role(actor, Role.DPO):
        return
    if not (has_role(actor, match.school_id, {Role.HEAD}) or has_role(actor, match.other_school_id, {Role.HEAD})):
        raise PermissionDenied("Only the head of either school, or the data protection officer, may decide this.")


def _match_decide(actor, match, status, why) -> PersonMatch:
    match = PersonMatch.objects.select_for_update().get(pk=match.pk)
    require_match_decider(actor, match)
    if match.status != MatchStatus.OPEN:
        raise ValidationError(f"This has already been decided: {match.get_status_display().lower()}.")
    match.status, match.decided_by, match.decided_at = status, actor, timezone.now()
    save_with_history(match, why, actor=actor)
    audit_log(actor, f"person_match_{status}", match, school=match.school_id, other_school=match.other_school_id)
    return match


@transaction.atomic
def person_match_confirm(*, actor, match) -> PersonMatch:
    """The same person: the records are linked for both schools (each still sees only its own cases), and the
    trust's course-of-conduct report counts them as one adult."""
    return _match_decide(actor, match, MatchStatus.SAME, "Confirmed: the same person")


@transaction.atomic
def person_match_dismiss(*, actor, match) -> PersonMatch:
    """Not the same person: the alert stops for this pair, and is never raised again."""
    return _match_decide(actor, match, MatchStatus.NOT_SAME, "Not the same person")
