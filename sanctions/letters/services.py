"""Letters: drafted, edited while a draft, issued once, corrected by a new letter.

An issued letter is the document the parent received: its PDF bytes and their
SHA-256 are stored when it is issued and never change afterwards (the services
refuse, the database's check constraint refuses a half-issued row). A mistake
is put right by a new letter that supersedes the old one.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.history import save_with_history
from conduct.permissions import require_school_role
from conduct.roles import CASE_LEADERS, Role
from incidents.models import Involvement
from incidents.services import event_record, lock_incident
from incidents.workflow import Stage
from sanctions.letters import rendering as renderer
from sanctions.models import (
    BAN_LETTER_KINDS,
    ActionKind,
    BanStatus,
    DecisionAction,
    Letter,
    LetterKind,
    LetterStatus,
    SentBy,
)
from sanctions.responses.services import action_mark_done, latest_decision

# Issuing a letter of this kind completes this action of the head's decision.
ACTION_FOR_KIND = {
    LetterKind.MEETING_INVITATION: ActionKind.MEETING,
    LetterKind.WARNING: ActionKind.WARNING_LETTER,
    LetterKind.INTENDED_BAN: ActionKind.SITE_BAN,
    LetterKind.PROVISIONAL_BAN: ActionKind.SITE_BAN,
}

# The ban's status a letter of each kind reports on.
BAN_STATUS_FOR_KIND = {
    LetterKind.INTENDED_BAN: {BanStatus.INTENDED},
    LetterKind.PROVISIONAL_BAN: {BanStatus.PROVISIONAL},
    LetterKind.BAN_CONFIRMATION: {BanStatus.CONFIRMED},
    LetterKind.BAN_WITHDRAWN: {BanStatus.WITHDRAWN, BanStatus.LIFTED},
    LetterKind.BAN_REVIEW: {BanStatus.CONFIRMED},
}

LETTER_STAGES = {Stage.DECIDED, Stage.CLOSED}


def _check_letter_fits(*, incident, kind, person, ban, review):
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Unknown kind of letter."})
    if incident.stage not in LETTER_STAGES:
        raise ValidationError("Letters are written once the head has decided the response.")
    if not incident.person_links.filter(person=person, involvement=Involvement.SUBJECT).exists():
        raise ValidationError({"person": "Letters go to a person the incident is about."})
    if kind in BAN_LETTER_KINDS:
        if ban is None or ban.incident_id != incident.pk:
            raise ValidationError("A ban letter needs this case's ban.")
        if ban.person_id != person.pk:
            raise ValidationError({"person": "A ban letter goes to the person banned."})
        if ban.status not in BAN_STATUS_FOR_KIND[kind]:
            raise ValidationError(
                f"A “{LetterKind(kind).label}” letter does not fit a ban that is “{ban.get_status_display()}”."
            )
        if kind == LetterKind.INTENDED_BAN and ban.route != "notice":
            raise ValidationError("This ban is provisional: write a provisional ban letter.")
        if kind == LetterKind.PROVISIONAL_BAN and ban.route != "provisional":
            raise ValidationError("This ban starts with a notice: write a notice of intended ban.")
        if kind == LetterKind.BAN_REVIEW and (review is None or review.ban_id != ban.pk):
            raise ValidationError("A review outcome letter needs the ban's review.")
    else:
        action = ACTION_FOR_KIND[kind]
        decision = latest_decision(incident)
        if decision is None or action not in decision.actions:
            raise ValidationError(f"The head's decision does not include “{ActionKind(action).label}”.")


def letter_draft_create(
    *, actor, incident, kind, person, ban=None, review=None, facts=None, specific_paragraphs="", supersedes=None
) -> Letter:
    """A new draft letter; for services that hold the case lock and have already checked role and stage."""
    _check_letter_fits(incident=incident, kind=kind, person=person, ban=ban, review=review)
    if supersedes is None:
        existing = Letter.objects.filter(
            incident=incident, kind=kind, person=person, ban=ban, review=review, status=LetterStatus.DRAFT
        )
        if existing.exists():
            raise ValidationError("A draft of this letter already exists: edit that one.")
    letter = save_with_history(Letter(
            incident=incident,
            person=person,
            ban=ban,
            review=review,
            kind=kind,
            facts=incident.description if facts is None else facts,
            specific_paragraphs=specific_paragraphs,
            supersedes=supersedes,
            drafted_by=actor,
        ), "Letter drafted", actor=actor)
    what = "Correction drafted" if supersedes else "Letter drafted"
    event_record(
        actor=actor,
        incident=incident,
        kind="letter",
        summary=f"{what}: {letter.get_kind_display()} to {person.full_name}",
    )
    return letter


def _lock_letter(letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("incident__school", "person", "ban")
        .get(pk=letter.pk)
    )


@transaction.atomic
def letter_draft(
    *, actor, incident, kind, person=None, ban=None, review=None, facts=None, specific_paragraphs=""
) -> Letter:
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "draft letters")
    if person is None:
        person = ban.person if ban is not None else (incident.subjects() or [None])[0]
    if person is None:
        raise ValidationError({"person": "This case names nobody to write to."})
    return letter_draft_create(
        actor=actor,
        incident=incident,
        kind=kind,
        person=person,
        ban=ban,
        review=review,
        facts=facts,
        specific_paragraphs=specific_paragraphs,
    )


@transaction.atomic
def letter_update(*, actor, letter, facts, specific_paragraphs, expected_version) -> Letter:
    letter = _lock_letter(letter)
    require_school_role(actor, letter.incident.school, CASE_LEADERS, "edit letters")
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("This letter has been issued and can never change. Write a correction instead.")
    if letter.version != expected_version:
        raise ValidationError("Someone else changed this draft since you opened it: reload it and edit again.")
    if not facts.strip():
        raise ValidationError({"facts": "Say what happened, in neutral terms."})
    letter.facts = facts
    letter.specific_paragraphs = specific_paragraphs
    letter.version += 1
    save_with_history(letter, "Draft edited", actor=actor)
    event_record(
        actor=actor, incident=letter.incident, kind="letter", summary=f"Draft edited: {letter.get_kind_display()}"
    )
    return letter


@transaction.atomic
def letter_discard(*, actor, letter) -> None:
    letter = _lock_letter(letter)
    require_school_role(actor, letter.incident.school, CASE_LEADERS, "discard draft letters")
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("An issued letter is kept for ever; it cannot be discarded.")
    incident, label = letter.incident, letter.get_kind_display()
    letter._change_reason = "Draft discarded"
    letter._history_user = actor
    letter.delete()
    event_record(actor=actor, incident=incident, kind="letter", summary=f"Draft discarded: {label}")


@transaction.atomic
def letter_issue(*, actor, letter, sent_by) -> Letter:
    """Freeze the letter: render once, keep the bytes and their hash, complete the decision's action."""
    letter = _lock_letter(letter)
    incident = lock_incident(letter.incident)
    require_school_role(actor, incident.school, {Role.HEAD}, "issue letters")
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("This letter has already been issued.")
    if sent_by not in SentBy.values:
        raise ValidationError({"sent_by": "Say how the letter is sent: by post, by email or by hand."})
    if letter.ban_id:
        letter.ban.refresh_from_db()
    _check_letter_fits(incident=incident, kind=letter.kind, person=letter.person, ban=letter.ban, review=letter.review)
    if sent_by == SentBy.POST and not letter.person.address.strip():
        raise ValidationError(
            {"sent_by": "There is no postal address for this person: add one, or send it another way."}
        )
    if sent_by == SentBy.EMAIL and not letter.person.email.strip():
        raise ValidationError({"sent_by": "There is no email address for this person."})
    now = timezone.now()
    letter.status = LetterStatus.ISSUED
    letter.issued_at = now
    letter.issued_by = actor
    letter.sent_by = sent_by
    pdf = renderer.letter_pdf(letter, dated=timezone.localtime(now).date())
    letter.pdf = pdf
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.version += 1
    save_with_history(letter, "Letter issued", actor=actor)
    if letter.supersedes_id:
        old = Letter.objects.select_for_update().get(pk=letter.supersedes_id)
        old.status = LetterStatus.SUPERSEDED
        save_with_history(old, "Superseded by a correction", actor=actor)
    event_record(
        actor=actor,
        incident=incident,
        kind="letter",
        summary=f"Letter issued ({letter.get_sent_by_display().lower()}): {letter.get_kind_display()} "
        f"to {letter.person.full_name}" + (" (correction)" if letter.supersedes_id else ""),
        note=f"SHA-256 {letter.sha256}",
    )
    action_kind = ACTION_FOR_KIND.get(letter.kind)
    decision = latest_decision(incident)
    if action_kind and decision is not None:
        action = DecisionAction.objects.select_for_update().filter(decision=decision, kind=action_kind).first()
        if action is not None and not action.done:
            action_mark_done(
                actor=actor,
                incident=incident,
                action=action,
                done_on=timezone.localdate(),
                details=f"{letter.get_kind_display()} issued {letter.get_sent_by_display().lower()}",
            )
    return letter


@transaction.atomic
def letter_correct(*, actor, letter) -> Letter:
    """A new draft that will supersede an issued letter once it is issued itself."""
    letter = _lock_letter(letter)
    require_school_role(actor, letter.incident.school, CASE_LEADERS, "correct letters")
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError("Only an issued letter is corrected; edit a draft directly.")
    if Letter.objects.filter(supersedes=letter).exists():
        raise ValidationError("A correction of this letter already exists.")
    # The correction reports the same ban state as the original did.
    incident = letter.incident
    if incident.stage not in LETTER_STAGES:
        raise ValidationError("Letters are written once the head has decided the response.")
    new = save_with_history(Letter(
            incident=incident,
            person=letter.person,
            ban=letter.ban,
            review=letter.review,
            kind=letter.kind,
            facts=letter.facts,
            specific_paragraphs=letter.specific_paragraphs,
            supersedes=letter,
            drafted_by=actor,
        ), "Correction drafted", actor=actor)
    event_record(
        actor=actor,
        incident=incident,
        kind="letter",
        summary=f"Correction drafted: {letter.get_kind_display()} to {letter.person.full_name}",
    )
    return new
