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
from sanctions.letters import delivery
from sanctions.letters import rendering as renderer
from sanctions.models import (
    BAN_LETTER_KINDS,
    COLLECTORS_NOTE_KINDS,
    ActionKind,
    BanStatus,
    CaseAccount,
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

STAFF_WORDING = (
    "What happened is still the office's account, written for staff: rewrite it for the parent "
    "(edit the draft) before the letter is issued."
)


def _check_complaint_letter(*, incident, person, complaint_step):
    if complaint_step is None or complaint_step.complaint.incident_id != incident.pk:
        raise ValidationError("A complaint outcome letter needs a stage of this case's complaint.")
    if not complaint_step.outcome:
        raise ValidationError("A complaint outcome letter is written once the stage's outcome is recorded.")
    if complaint_step.complaint.complainant_id != person.pk:
        raise ValidationError({"person": "A complaint outcome letter goes to the complainant."})


def _check_letter_fits(*, incident, kind, person, ban, review, complaint_step=None):
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Unknown kind of letter."})
    if incident.stage not in LETTER_STAGES:
        raise ValidationError("Letters are written once the head has decided the response.")
    if not incident.person_links.filter(person=person, involvement=Involvement.SUBJECT).exists():
        raise ValidationError({"person": "Letters go to a person the incident is about."})
    if kind == LetterKind.COMPLAINT_OUTCOME:
        _check_complaint_letter(incident=incident, person=person, complaint_step=complaint_step)
    elif kind in BAN_LETTER_KINDS:
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


def _words_from_records(*, kind, ban, review, complaint_step=None) -> dict:
    """The letter's own copies of what the ban, its confirmation or its review say, editable in the draft."""
    words = {"reasons": "", "pupil_arrangements": ""}
    if ban is not None:
        words["pupil_arrangements"] = ban.pupil_arrangements
        if kind in {LetterKind.INTENDED_BAN, LetterKind.PROVISIONAL_BAN}:
            words["reasons"] = ban.reasons
        elif kind == LetterKind.BAN_CONFIRMATION:
            words["reasons"] = ban.confirmation_reasons
    if kind == LetterKind.BAN_REVIEW and review is not None:
        words["reasons"] = review.reasons
    if kind == LetterKind.COMPLAINT_OUTCOME and complaint_step is not None:
        words["reasons"] = complaint_step.reasons
    return words


def case_account(incident, *, actor) -> CaseAccount:
    """The case's account for letters; made from the office's description (marked as staff wording) if none yet."""
    account = CaseAccount.objects.filter(incident=incident).first()
    if account is None:
        account = save_with_history(
            CaseAccount(incident=incident, text=incident.description, for_parent=False, updated_by=actor),
            "Account drafted from the incident's description", actor=actor)
    return account


# How to make each kind of letter possible, when the case's state does not allow it yet.
ENABLING_STEP = {
    LetterKind.INTENDED_BAN: ("record the ban", "ban_new"),
    LetterKind.PROVISIONAL_BAN: ("record the ban", "ban_new"),
    LetterKind.BAN_CONFIRMATION: ("confirm the ban", "ban_confirm"),
    LetterKind.BAN_WITHDRAWN: ("withdraw the ban", "ban_withdraw"),
    LetterKind.BAN_REVIEW: ("review the ban", "ban_review_new"),
}


def _latest_review(ban):
    return ban.reviews.order_by("-reviewed_on", "-pk").first()


def letter_options(incident, bans) -> list[dict]:
    """Each kind of letter: whether the case's state allows it now (and for which ban), or why not and what would."""
    decision = latest_decision(incident)
    ban_decided = decision is not None and ActionKind.SITE_BAN in decision.actions
    options = []
    for kind in LetterKind:
        if kind == LetterKind.COMPLAINT_OUTCOME:
            continue  # drafted by recording a complaint stage's outcome, not from the menu
        option = {"kind": kind, "label": kind.label, "ban": None, "reason": "", "step": None}
        reasons = []
        for ban in (list(bans) if kind in BAN_LETTER_KINDS else []) or [None]:
            review = _latest_review(ban) if ban and kind == LetterKind.BAN_REVIEW else None
            person = ban.person if ban else (incident.subjects() or [None])[0]
            try:
                _check_letter_fits(incident=incident, kind=kind, person=person, ban=ban, review=review)
            except ValidationError as error:
                reasons.append(" ".join(error.messages))
            else:
                option["ban"] = ban
                break
        else:
            option["reason"] = _why_not(kind, bans, reasons, ban_decided)
            option["step"] = _enabling_step(kind, incident, bans) if ban_decided else None
        options.append(option)
    return options


def _why_not(kind, bans, reasons, ban_decided) -> str:
    if kind in BAN_LETTER_KINDS and not bans:
        if not ban_decided:
            return "The head's decision does not include a site ban."
        return f"A “{kind.label}” letter needs a ban."
    return reasons[-1] if reasons else ""


def _enabling_step(kind, incident, bans):
    """(label, URL name, object id) of the step that would allow this kind, where one exists."""
    if kind not in ENABLING_STEP or incident.stage != Stage.DECIDED:
        return None
    label, name = ENABLING_STEP[kind]
    if name == "ban_new":
        return (label, name, incident.pk) if not bans else None
    awaiting = [b for b in bans if b.status in {BanStatus.INTENDED, BanStatus.PROVISIONAL}]
    confirmed = [b for b in bans if b.status == BanStatus.CONFIRMED]
    target = (confirmed if name == "ban_review_new" else awaiting) or [None]
    return (label, name, target[0].pk) if target[0] is not None else None


def fitting_ban(*, incident, kind, person, bans):
    """The case's ban that a letter of `kind` to `person` would be about, or None."""
    for ban in bans:
        if ban.person_id != person.pk:
            continue
        review = _latest_review(ban) if kind == LetterKind.BAN_REVIEW else None
        try:
            _check_letter_fits(incident=incident, kind=kind, person=person, ban=ban, review=review)
        except ValidationError:
            continue
        return ban, review
    raise ValidationError({"person": f"No ban on this case fits a “{LetterKind(kind).label}” letter to {person}."})


def letter_draft_create(
    *, actor, incident, kind, person, ban=None, review=None, facts=None, specific_paragraphs="", supersedes=None,
    complaint_step=None,
) -> Letter:
    """A new draft letter; for services that hold the case lock and have already checked role and stage."""
    _check_letter_fits(incident=incident, kind=kind, person=person, ban=ban, review=review,
                       complaint_step=complaint_step)
    if supersedes is None:
        existing = Letter.objects.filter(
            incident=incident, kind=kind, person=person, ban=ban, review=review, complaint_step=complaint_step,
            status=LetterStatus.DRAFT,
        )
        if existing.exists():
            raise ValidationError("A draft of this letter already exists: edit that one.")
    if facts is None:
        account = case_account(incident, actor=actor)
        facts, for_parent = account.text, account.for_parent
    else:
        for_parent = True
    letter = save_with_history(Letter(
            incident=incident,
            person=person,
            ban=ban,
            review=review,
            complaint_step=complaint_step,
            kind=kind,
            facts=facts,
            facts_for_parent=for_parent,
            specific_paragraphs=specific_paragraphs,
            supersedes=supersedes,
            drafted_by=actor,
            **_words_from_records(kind=kind, ban=ban, review=review, complaint_step=complaint_step),
        ), "Letter drafted", actor=actor)
    what = "Correction drafted" if supersedes else "Letter drafted"
    event_record(
        actor=actor,
        incident=incident,
        kind="letter",
        summary=f"{what}: {letter.get_kind_display()} to {person.full_name}",
    )
    return letter


def _account_write(*, actor, incident, text, why) -> CaseAccount:
    """Keep the case's account as the wording a leader last saved or a letter last sent."""
    account = case_account(incident, actor=actor)
    if account.text == text and account.for_parent:
        return account
    account.text, account.for_parent, account.updated_by = text, True, actor
    account.updated_at = timezone.now()
    account.version += 1
    return save_with_history(account, why, actor=actor)


@transaction.atomic
def case_account_update(*, actor, incident, text, expected_version) -> CaseAccount:
    """A senior leader or the head writes what happened for the parent; drafts still on staff wording take it."""
    incident = lock_incident(incident)
    require_school_role(actor, incident.school, CASE_LEADERS, "write the account letters give")
    if incident.stage not in LETTER_STAGES:
        raise ValidationError("Letters are written once the head has decided the response.")
    if not text.strip():
        raise ValidationError({"text": "Say what happened, in neutral terms, as the parent will read it."})
    account = case_account(incident, actor=actor)
    if account.version != expected_version:
        raise ValidationError("Someone else changed this account since you opened it: reload it and edit again.")
    account = _account_write(actor=actor, incident=incident, text=text, why="Account rewritten for the parent")
    for draft in Letter.objects.select_for_update().filter(
        incident=incident, status=LetterStatus.DRAFT, facts_for_parent=False
    ):
        draft.facts, draft.facts_for_parent = text, True
        draft.version += 1
        save_with_history(draft, "Account rewritten for the parent", actor=actor)
    event_record(actor=actor, incident=incident, kind="letter", summary="What happened, as letters tell it: rewritten")
    return account


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
def letter_update(*, actor, letter, facts, specific_paragraphs, expected_version, reasons=None,
                  pupil_arrangements=None, collectors_note=None) -> Letter:
    letter = _lock_letter(letter)
    require_school_role(actor, letter.incident.school, CASE_LEADERS, "edit letters")
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("This letter has been issued and can never change. Write a correction instead.")
    if letter.version != expected_version:
        raise ValidationError("Someone else changed this draft since you opened it: reload it and edit again.")
    if not facts.strip():
        raise ValidationError({"facts": "Say what happened, in neutral terms."})
    letter.facts = facts
    letter.facts_for_parent = True
    letter.specific_paragraphs = specific_paragraphs
    if reasons is not None:
        letter.reasons = reasons
    if pupil_arrangements is not None:
        if letter.ban_id and not pupil_arrangements.strip():
            raise ValidationError({"pupil_arrangements": "Say how the pupil will be dropped off and collected."})
        letter.pupil_arrangements = pupil_arrangements
    if collectors_note is not None:
        if collectors_note and letter.kind not in COLLECTORS_NOTE_KINDS:
            raise ValidationError("Only an invitation to meet or a warning letter quotes the note on who collects "
                                  "the child.")
        letter.collectors_note = collectors_note
    letter.version += 1
    save_with_history(letter, "Draft edited", actor=actor)
    _account_write(actor=actor, incident=letter.incident, text=facts, why="Rewritten in a letter's draft")
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
    if not letter.facts_for_parent:
        raise ValidationError(STAFF_WORDING)
    if letter.ban_id:
        letter.ban.refresh_from_db()
    _check_letter_fits(incident=incident, kind=letter.kind, person=letter.person, ban=letter.ban, review=letter.review,
                       complaint_step=letter.complaint_step)
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
    letter.html = renderer.letter_html(letter, for_pdf=True, dated=timezone.localtime(now).date())
    pdf = renderer.html_to_pdf(letter.html)
    letter.pdf = pdf
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.version += 1
    save_with_history(letter, "Letter issued", actor=actor)
    _account_write(actor=actor, incident=incident, text=letter.facts, why="The wording of the letter last issued")
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
    if sent_by == SentBy.EMAIL:
        delivery.send_after_commit(actor=actor, letter=letter)
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
            complaint_step=letter.complaint_step,
            kind=letter.kind,
            facts=letter.facts,
            facts_for_parent=letter.facts_for_parent,
            reasons=letter.reasons,
            pupil_arrangements=letter.pupil_arrangements,
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
