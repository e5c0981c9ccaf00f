"""Site bans: the lawful process, one service per step.

The DfE advice on controlling access to school premises expects the parent to
be told in writing with reasons, to be able to present their side before the
ban is confirmed, and the ban to be reviewed and to last no longer than is
reasonable. Policy section 4 adds the Chair of the Local Academy Board's
consultation before any ban. Each function below checks the actor's role at
the case's school, the ban's status and dates, writes a timeline event and,
where the parent must be told, drafts the letter that tells them.

    decided case with a signed-off ban ──ban_create──▶ intended (notice) or provisional (in force)
    representation_record / ban_note_no_representations
    ban_confirm (head, after the deadline unless representations came) ──▶ confirmed
    ban_withdraw (head) ──▶ withdrawn
    ban_review (head): continue, shorten, extend (Chair again past the original end), lift ──▶ lifted
    ban_end (head, after the end date) ──▶ ended
    ban_breach_record (any staff writer, while in force) ──▶ a new case about the person, linked to the ban
"""

import calendar
import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conduct.dates import page_date
from conduct.history import save_with_history
from conduct.models import REPRESENTATION_DAYS_MAX, School
from conduct.notifications import notify_role
from conduct.permissions import require_school_role
from conduct.roles import CASE_LEADERS, STAFF_WRITERS, Role
from incidents.models import Involvement, Location
from incidents.services import event_record, incident_create, lock_incident
from incidents.uploads import check_upload, safe_filename
from incidents.workflow import Stage
from sanctions.letters.services import case_account, case_account_update, letter_draft_create
from sanctions.models import (
    IN_FORCE_STATUSES,
    ActionKind,
    BanBreach,
    BanReview,
    BanRoute,
    BanStatus,
    ChairConsultation,
    LetterKind,
    Representation,
    ReviewOutcome,
    SiteBan,
)
from sanctions.responses.services import latest_decision, signed_off_by_the_chair

HEAD = {Role.HEAD}
OPEN_STATUSES = (BanStatus.INTENDED, BanStatus.PROVISIONAL, BanStatus.CONFIRMED)
AWAITING_DECISION = (BanStatus.INTENDED, BanStatus.PROVISIONAL)


def _lock_ban(ban) -> SiteBan:
    return (
        SiteBan.objects.select_for_update(of=("self",))
        .select_related("incident__school", "person", "consultation", "decision")
        .get(pk=ban.pk)
    )


def _today():
    return timezone.localdate()


def ban_signoff(incident):
    """(decision, consultation) for the case's latest ban decision, its Chair's sign-off unused; else raise."""
    decision = latest_decision(incident)
    if decision is None or ActionKind.SITE_BAN not in decision.actions:
        raise ValidationError("The head's decision on this case does not include a site ban.")
    consultation = decision.consultation
    if (
        consultation is None
        or consultation.incident_id != incident.pk
        or consultation.proposal_id != decision.proposal_id
        or not signed_off_by_the_chair(consultation, incident.school)
    ):
        raise ValidationError(
            "A ban needs the Chair of the Local Academy Board's signed-off consultation on this proposal."
        )
    # Policy section 4: the Chair is consulted before each ban, so a sign-off that
    # started a ban (since withdrawn, lifted or ended) never starts another.
    if SiteBan.objects.filter(consultation=consultation).exists():
        raise ValidationError(
            "The Chair's sign-off on this case was used by an earlier ban; each ban needs its own proposal, "
            "Chair's consultation and decision. Record the new behaviour as a new incident."
        )
    return decision, consultation


def latest_end(starts_on, months) -> date:
    """The last day a ban starting on `starts_on` may run: the same day `months` calendar months later."""
    month = starts_on.month - 1 + months
    year = starts_on.year + month // 12
    if year > date.max.year:
        return date.max
    month = month % 12 + 1
    return date(year, month, min(starts_on.day, calendar.monthrange(year, month)[1]))


def earliest_representations_by(school, today=None) -> date:
    return (today or _today()) + timedelta(days=school.representation_days)


def _check_length(school, *, starts_on, ends_on, field):
    if ends_on > latest_end(starts_on, school.max_ban_months):
        raise ValidationError({field: (
            f"A ban at {school.name} lasts at most {school.max_ban_months} months: it ends by "
            f"{page_date(latest_end(starts_on, school.max_ban_months))} at the latest."
        )})


def _clean_dates(*, starts_on, ends_on, review_on):
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = "The ban cannot end before it starts."
    if review_on < starts_on:
        errors["review_on"] = "The review cannot be before the ban starts."
    elif review_on > ends_on:
        errors["review_on"] = "The review must be on or before the end of the ban."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ban_create(*, actor, incident, person, route, sites, starts_on, ends_on, review_on, pupil_arrangements,
               reasons="", representations_by=None, account_for_parent="") -> SiteBan:
    """Start a ban decided on this case: a notice of intended ban or a provisional ban. `account_for_parent`:
    what happened, as letters tell it, written on the same form; its letter is drafted with it."""
    incident = lock_incident(incident)
    school = incident.school
    require_school_role(actor, school, HEAD, "ban a person from the school site")
    if incident.stage != Stage.DECIDED:
        raise ValidationError("A ban is put in place while the case is decided and open.")
    decision, consultation = ban_signoff(incident)
    if route not in BanRoute.values:
        raise ValidationError({"route": "Choose a notice of intended ban or a provisional ban."})
    if not incident.person_links.filter(person=person, involvement=Involvement.SUBJECT).exists():
        raise ValidationError({"person": "Only a person the incident is about can be banned on this case."})
    if SiteBan.objects.filter(incident=incident, person=person, status__in=OPEN_STATUSES).exists():
        raise ValidationError({"person": "This person already has a ban on this case."})
    sites = list(sites)
    if not sites:
        raise ValidationError({"sites": "Choose at least one site the ban covers."})
    if any(s.pk != school.pk for s in sites):
        # Another school's site needs that school's head and Chair; until they can
        # take part here, a ban covers only the deciding school's site.
        raise ValidationError({"sites": f"A ban decided at {school.name} covers only this school's site; "
                                        "another school bans from its own site on its own case."})
    if not pupil_arrangements.strip():
        raise ValidationError({"pupil_arrangements": "Say how the pupil will be dropped off and collected."})
    today = _today()
    if route == BanRoute.PROVISIONAL and starts_on > today:
        raise ValidationError({"starts_on": "A provisional ban is in force now: it starts today."})
    if starts_on < today:
        raise ValidationError({"starts_on": "A ban cannot start in the past."})
    _clean_dates(starts_on=starts_on, ends_on=ends_on, review_on=review_on)
    _check_length(school, starts_on=starts_on, ends_on=ends_on, field="ends_on")
    earliest = earliest_representations_by(school, today)
    if representations_by is None:
        representations_by = earliest
    if representations_by < earliest:
        raise ValidationError({"representations_by": (
            f"The parent has at least {school.representation_days} days to make representations: "
            f"{page_date(earliest)} at the earliest."
        )})
    if representations_by > today + timedelta(days=REPRESENTATION_DAYS_MAX):
        raise ValidationError({"representations_by": (
            f"The deadline for representations is at most {REPRESENTATION_DAYS_MAX} days from today."
        )})
    if route == BanRoute.NOTICE and starts_on <= representations_by:
        raise ValidationError(
            {"starts_on": "An intended ban can only start after the deadline for representations."}
        )
    ban = SiteBan(
        incident=incident, person=person, decision=decision, consultation=consultation, route=route,
        status=BanStatus.INTENDED if route == BanRoute.NOTICE else BanStatus.PROVISIONAL,
        starts_on=starts_on, ends_on=ends_on, original_ends_on=ends_on, review_on=review_on,
        representations_by=representations_by, pupil_arrangements=pupil_arrangements, reasons=reasons,
        created_by=actor,
    )
    save_with_history(ban, "Ban started", actor=actor)
    ban.sites.set(sites)
    site_names = ", ".join(s.name for s in sites)
    what = "Notice of intended ban" if route == BanRoute.NOTICE else "Provisional ban"
    event_record(
        actor=actor, incident=incident, kind="ban",
        summary=f"{what}: {person.full_name}, {page_date(starts_on)}–{page_date(ends_on)} ({site_names})",
        note=f"Representations by {page_date(representations_by)}. {reasons}".strip(),
    )
    if account_for_parent.strip():
        case_account_update(actor=actor, incident=incident, text=account_for_parent,
                            expected_version=case_account(incident, actor=actor).version)
    kind = LetterKind.INTENDED_BAN if route == BanRoute.NOTICE else LetterKind.PROVISIONAL_BAN
    letter_draft_create(actor=actor, incident=incident, kind=kind, person=person, ban=ban)
    return ban


def _store_attachment(ban, upload, representation):
    check_upload(upload)
    name = safe_filename(upload.name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    representation.attachment_name = name
    # A random name on disk: the uploader's filename never reaches the file system.
    stored = f"{ban.incident.school_id}/{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    representation.attachment.save(stored, upload, save=False)
    return digest.hexdigest()


@transaction.atomic
def representation_record(*, actor, ban, received_on, summary, attachment=None) -> Representation:
    ban = _lock_ban(ban)
    incident = ban.incident
    require_school_role(actor, incident.school, CASE_LEADERS, "record representations")
    if ban.status not in AWAITING_DECISION:
        raise ValidationError("Representations are recorded while the ban awaits a decision.")
    if received_on > _today():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    if received_on < timezone.localtime(ban.created_at).date():
        raise ValidationError({"received_on": "The representations cannot predate the ban."})
    if not summary.strip():
        raise ValidationError({"summary": "Summarise what the parent said."})
    representation = Representation(ban=ban, received_on=received_on, summary=summary, recorded_by=actor)
    digest = ""
    if attachment:
        digest = _store_attachment(ban, attachment, representation)
    save_with_history(representation, "Representations recorded", actor=actor)
    late = " (after the deadline)" if received_on > ban.representations_by else ""
    event_record(
        actor=actor, incident=incident, kind="ban",
        summary=f"Representations received {page_date(received_on)}{late} from {ban.person.full_name}",
        note=summary + (f"\nAttachment: {representation.attachment_name} (SHA-256 {digest})" if digest else ""),
    )
    if ban.no_representations_noted:
        ban.no_representations_noted = False
        ban.version += 1
        save_with_history(ban, "Representations received after none were noted", actor=actor)
    notify_role(actor=actor, school=incident.school, role=Role.HEAD, incident=incident,
                what="has representations about a ban to consider")
    return representation


@transaction.atomic
def ban_note_no_representations(*, actor, ban) -> SiteBan:
    ban = _lock_ban(ban)
    require_school_role(actor, ban.incident.school, CASE_LEADERS, "note that no representations came")
    if ban.status not in AWAITING_DECISION:
        raise ValidationError("This ban is not waiting for representations.")
    if _today() <= ban.representations_by:
        raise ValidationError(
            f"The parent has until {page_date(ban.representations_by)} to make representations."
        )
    if ban.representations.exists():
        raise ValidationError("Representations have been recorded for this ban.")
    if ban.no_representations_noted:
        raise ValidationError("It is already noted that no representations were received.")
    ban.no_representations_noted = True
    ban.version += 1
    save_with_history(ban, "No representations received", actor=actor)
    event_record(actor=actor, incident=ban.incident, kind="ban",
                 summary=f"No representations received by {page_date(ban.representations_by)}")
    return ban


@transaction.atomic
def ban_confirm(*, actor, ban, reasons) -> SiteBan:
    """The head confirms the ban after considering any representations."""
    ban = _lock_ban(ban)
    incident = ban.incident
    require_school_role(actor, incident.school, HEAD, "confirm a ban")
    if ban.status not in AWAITING_DECISION:
        raise ValidationError(f"A ban that is “{ban.get_status_display()}” cannot be confirmed.")
    consultation = ban.consultation
    if consultation is None or not consultation.signed_off:
        raise ValidationError("A ban is never confirmed without the Chair's signed-off consultation.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for confirming the ban."})
    today = _today()
    has_representations = ban.representations.exists()
    if not has_representations and today <= ban.representations_by:
        raise ValidationError(
            f"The parent has until {page_date(ban.representations_by)} to make representations: the ban "
            "cannot be confirmed before then unless they have made them."
        )
    if not has_representations:
        ban.no_representations_noted = True
    if ban.status == BanStatus.INTENDED and ban.starts_on < today:
        # The notice gave a start date; the ban cannot start before the decision that confirms it.
        ban.starts_on = today
    if ban.ends_on < ban.starts_on or ban.review_on < ban.starts_on:
        raise ValidationError("The ban's dates have passed: withdraw it and start again if a ban is still needed.")
    _check_length(incident.school, starts_on=ban.starts_on, ends_on=ban.ends_on, field="reasons")
    ban.status = BanStatus.CONFIRMED
    ban.confirmation_reasons = reasons
    ban.version += 1
    save_with_history(ban, "Ban confirmed", actor=actor)
    considered = "after considering the representations" if has_representations else "no representations received"
    event_record(
        actor=actor, incident=incident, kind="ban",
        summary=f"Ban confirmed ({considered}): {ban.person.full_name} until {page_date(ban.ends_on)}",
        note=reasons,
    )
    letter_draft_create(actor=actor, incident=incident, kind=LetterKind.BAN_CONFIRMATION, person=ban.person, ban=ban)
    return ban


@transaction.atomic
def ban_withdraw(*, actor, ban, reasons) -> SiteBan:
    ban = _lock_ban(ban)
    incident = ban.incident
    require_school_role(actor, incident.school, HEAD, "withdraw a ban")
    if ban.status not in AWAITING_DECISION:
        raise ValidationError(
            f"A ban that is “{ban.get_status_display()}” cannot be withdrawn; a confirmed ban is lifted on review."
        )
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for withdrawing the ban."})
    if ban.status == BanStatus.PROVISIONAL and ban.starts_on <= _today():
        ban.lifted_on = _today()
    ban.status = BanStatus.WITHDRAWN
    ban.version += 1
    save_with_history(ban, "Ban withdrawn", actor=actor)
    event_record(actor=actor, incident=incident, kind="ban", summary=f"Ban withdrawn: {ban.person.full_name}",
                 note=reasons)
    letter_draft_create(actor=actor, incident=incident, kind=LetterKind.BAN_WITHDRAWN, person=ban.person, ban=ban,
                  specific_paragraphs=reasons)
    return ban


@transaction.atomic
def ban_extension_consult(*, actor, ban, consulted_on, method, chair_view, signed_off,
                          reasons_not_signed="") -> ChairConsultation:
    """The Chair's consultation on extending a ban past its original end."""
    ban = _lock_ban(ban)
    incident = ban.incident
    require_school_role(actor, incident.school, {Role.CHAIR}, "record the Chair's consultation")
    if ban.status != BanStatus.CONFIRMED:
        raise ValidationError("Only a confirmed ban can be extended.")
    if consulted_on > _today():
        raise ValidationError({"consulted_on": "The consultation cannot be dated in the future."})
    if not chair_view.strip():
        raise ValidationError({"chair_view": "Record your view."})
    if not signed_off and not reasons_not_signed.strip():
        raise ValidationError({"reasons_not_signed": "Give your reasons for not signing off the extension."})
    consultation = save_with_history(ChairConsultation(
            incident=incident, ban=ban, chair=actor, consulted_on=consulted_on, method=method,
            chair_view=chair_view, signed_off=signed_off, reasons_not_signed="" if signed_off else reasons_not_signed,
        ), "Chair consulted on extending a ban", actor=actor)
    event_record(
        actor=actor, incident=incident, kind="consultation",
        summary="Chair " + ("signed off" if signed_off else "did not sign off") + " extending the ban",
        note=chair_view if signed_off else reasons_not_signed,
    )
    notify_role(actor=actor, school=incident.school, role=Role.HEAD, incident=incident,
                what="has the Chair's consultation on extending a ban")
    return consultation


def unused_extension_signoff(ban):
    """The Chair's latest signed-off extension consultation for this ban that no review has used yet."""
    used = BanReview.objects.filter(ban=ban, consultation__isnull=False).values_list("consultation_id", flat=True)
    return (
        ChairConsultation.objects.filter(ban=ban, signed_off=True).exclude(pk__in=list(used))
        .order_by("-recorded_at", "-pk").first()
    )


@transaction.atomic
def ban_review(*, actor, ban, outcome, reasons, new_ends_on=None, next_review_on=None,
               reviewed_on=None) -> BanReview:
    ban = _lock_ban(ban)
    incident = ban.incident
    require_school_role(actor, incident.school, HEAD, "review a ban")
    if ban.status != BanStatus.CONFIRMED:
        raise ValidationError("Only a confirmed ban is reviewed; a provisional ban is confirmed or withdrawn.")
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the review."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the outcome."})
    today = _today()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": "The review cannot be dated in the future."})
    consultation = None
    ends_on = ban.ends_on
    if outcome == ReviewOutcome.LIFT:
        new_ends_on = next_review_on = None
    elif outcome == ReviewOutcome.CONTINUE:
        new_ends_on = None
        if next_review_on is None:
            raise ValidationError({"next_review_on": "Give the date of the next review."})
    else:
        if new_ends_on is None:
            raise ValidationError({"new_ends_on": "Give the new end date."})
        if outcome == ReviewOutcome.SHORTEN and not (today <= new_ends_on < ban.ends_on):
            raise ValidationError(
                {"new_ends_on": "A shortened ban ends before its current end date, and not in the past."}
            )
        if outcome == ReviewOutcome.EXTEND:
            if new_ends_on <= ban.ends_on:
                raise ValidationError({"new_ends_on": "An extended ban ends after its current end date."})
            _check_length(incident.school, starts_on=ban.starts_on, ends_on=new_ends_on, field="new_ends_on")
            if new_ends_on > ban.original_ends_on:
                consultation = unused_extension_signoff(ban)
                if consultation is None:
                    raise ValidationError(
                        {"new_ends_on": "Extending the ban past its original end "
                         f"({page_date(ban.original_ends_on)}) needs the Chair's sign-off first."}
                    )
        ends_on = new_ends_on
        if next_review_on is None:
            next_review_on = ends_on
    if next_review_on is not None and not (today <= next_review_on <= ends_on):
        raise ValidationError({"next_review_on": "The next review falls between today and the end of the ban."})
    review = save_with_history(BanReview(
            ban=ban, reviewed_on=reviewed_on, outcome=outcome, new_ends_on=new_ends_on,
            next_review_on=next_review_on, reasons=reasons, consultation=consultation, reviewed_by=actor,
        ), "Ban reviewed", actor=actor)
    if outcome == ReviewOutcome.LIFT:
        ban.status = BanStatus.LIFTED
        if ban.starts_on <= reviewed_on:
            ban.lifted_on = reviewed_on
    else:
        ban.ends_on = ends_on
        ban.review_on = next_review_on
    ban.version += 1
    save_with_history(ban, f"Reviewed: {review.get_outcome_display()}", actor=actor)
    detail = (
        "" if outcome == ReviewOutcome.LIFT
        else f"; ends {page_date(ban.ends_on)}, next review {page_date(ban.review_on)}"
    )
    event_record(actor=actor, incident=incident, kind="ban",
                 summary=f"Ban reviewed: {review.get_outcome_display().lower()}{detail}", note=reasons)
    if outcome == ReviewOutcome.LIFT:
        letter_draft_create(actor=actor, incident=incident, kind=LetterKind.BAN_WITHDRAWN, person=ban.person, ban=ban,
                      specific_paragraphs=reasons)
    else:
        letter_draft_create(actor=actor, incident=incident, kind=LetterKind.BAN_REVIEW, person=ban.person, ban=ban,
                      review=review)
    return review


@transaction.atomic
def ban_end(*, actor, ban) -> SiteBan:
    """Record that a ban has run its course."""
    ban = _lock_ban(ban)
    require_school_role(actor, ban.incident.school, HEAD, "end a ban")
    if ban.status not in (BanStatus.CONFIRMED, BanStatus.PROVISIONAL):
        raise ValidationError(f"A ban that is “{ban.get_status_display()}” cannot be ended.")
    if _today() <= ban.ends_on:
        raise ValidationError(f"The ban runs until {page_date(ban.ends_on)}; lift it on review to end it early.")
    ban.status = BanStatus.ENDED
    ban.version += 1
    save_with_history(ban, "Ban ended", actor=actor)
    event_record(actor=actor, incident=ban.incident, kind="ban",
                 summary=f"Ban ended on {page_date(ban.ends_on)}: {ban.person.full_name}")
    return ban


def ban_sites(school):
    """The sites a ban decided at `school` may cover: its own."""
    return School.objects.filter(pk=school.pk)


@transaction.atomic
def ban_breach_record(*, actor, ban, occurred_at, place, what_happened, categories, police_called,
                      police_reference="") -> BanBreach:
    """A banned person came onto the site: a new case at the ban's school about them, linked to the ban, and
    the head and case leaders told at once (reference and link only)."""
    ban = _lock_ban(ban)
    school = ban.incident.school
    require_school_role(actor, school, STAFF_WRITERS, "report a breach of a ban")
    _check_breach(ban, occurred_at=occurred_at, place=place, what_happened=what_happened,
                  police_called=police_called, police_reference=police_reference)
    police = f"Police called (reference {police_reference.strip()})." if police_reference.strip() else (
        "Police called." if police_called else "Police not called.")
    description = (f"Breach of the site ban on case {ban.incident.reference} (in force "
                   f"{page_date(ban.starts_on)} to {page_date(ban.ends_on)}), at {place.strip()}.\n\n"
                   f"{what_happened.strip()}\n\n{police}")
    # incident_create tells the case leaders, in these words: one email, not a second one from here.
    incident = incident_create(
        actor=actor, school=school, occurred_at=occurred_at, location=Location.PREMISES,
        location_detail=place.strip(), description=description, categories=categories, subjects=[ban.person],
        reported_by=actor.get_full_name() or actor.get_username(), notify_what="records a breach of a site ban",
    )
    breach = save_with_history(BanBreach(
        ban=ban, incident=incident, police_called=police_called,
        police_reference=police_reference.strip() if police_called else "", reported_by=actor,
    ), "Breach of a ban reported", actor=actor)
    event_record(actor=actor, incident=incident, kind="breach",
                 summary=f"Logged as a breach of the site ban on case {ban.incident.reference}")
    event_record(actor=actor, incident=ban.incident, kind="breach",
                 summary=f"Ban breached: {ban.person.full_name} came onto the site; new case {incident.reference}")
    return breach


def _check_breach(ban, *, occurred_at, place, what_happened, police_called, police_reference) -> None:
    errors = {}
    day = timezone.localtime(occurred_at).date()
    if not (ban.status in IN_FORCE_STATUSES and ban.starts_on <= day <= ban.ends_on):
        errors["occurred_at"] = (f"The ban was not in force then: it runs from {page_date(ban.starts_on)} "
                                 f"to {page_date(ban.ends_on)} and is “{ban.get_status_display()}”.")
    if not place.strip():
        errors["place"] = "Say where on the site it happened."
    if not what_happened.strip():
        errors["what_happened"] = "Say what happened."
    if police_reference.strip() and not police_called:
        errors["police_reference"] = "A police reference means the police were called: tick the box."
    if errors:
        raise ValidationError(errors)
