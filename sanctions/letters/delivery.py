"""Sending issued letters: by email from Conduct, by post through the office's print pack, or by hand.

An issued letter is "issued, not yet sent" until one of these services records
how it went: `letter_email_send` (the head's issue sends it once the issuing
transaction commits; the staff retry it after a failure), `letter_post_mark`
and `letter_post_mark_all` (the office posted it, one by one or the whole print
pack), `letter_hand_record` (someone gave it to the person). Each writes the
letter's history and a timeline event.

Who: the office, senior leaders and the head of the letter's school (the
staff who write to its cases). Sending is an errand, not a decision: the head
decided what the letter says and how it goes when issuing it. The Chair and
trust-wide readers read letters but do not send them.

How: a letter goes the way it was issued. Two ways out when that way fails: an
email that did not go may be posted instead, and any letter not yet sent may
be handed over (a printed copy given at the school office). The stored PDF is
what goes, whichever way: nothing here renders a letter again.
"""

import io
import logging
from datetime import timedelta
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conduct.history import save_with_history
from conduct.permissions import has_role, require_school_role
from conduct.roles import STAFF_WRITERS
from incidents.services import event_record
from sanctions.letters.delivery_forms import PACK_LIMIT, LetterHandedForm, LetterPostedForm
from sanctions.letters.rendering import one_line
from sanctions.models import Letter, LetterStatus, SentBy

logger = logging.getLogger(__name__)

# The office, senior leaders and the head (the module's docstring says why).
DELIVERY_ROLES = STAFF_WRITERS
# A claim older than this belongs to a send that died half-way (a killed worker): it may be tried again.
# Longer than the SMTP timeout below, so a slow but live send is never overtaken by a second.
CLAIM_EXPIRES = timedelta(minutes=5)
# Seconds the mail server may take to answer; the request that issued the letter waits for it.
SMTP_TIMEOUT = 30
# The longest error kept and shown: the mail server's answer, not a traceback.
ERROR_LENGTH = 500


# Reads ---------------------------------------------------------------------------------


def awaiting_post(school, *, issued_by=None):
    """The school's issued letters waiting for the post, oldest first (the print pack's order).

    Not yet limited: the caller counts it and slices PACK_LIMIT. `issued_by` (a moment) leaves out
    letters issued after the list was shown, so the pack holds what the office saw.
    """
    letters = Letter.objects.filter(incident__school=school, status=LetterStatus.ISSUED, sent_by=SentBy.POST,
                                    delivered_at__isnull=True)
    if issued_by is not None:
        letters = letters.filter(issued_at__lte=issued_by)
    return letters.order_by("issued_at", "pk")


def claim_is_live(letter, now=None) -> bool:
    """Whether an email of `letter` is under way right now."""
    claimed = letter.delivery_claimed_at
    return claimed is not None and claimed >= (now or timezone.now()) - CLAIM_EXPIRES


def may_post(letter) -> bool:
    """Posting fits a letter issued for the post, or an email that did not go."""
    return letter.sent_by == SentBy.POST or (letter.sent_by == SentBy.EMAIL and bool(letter.delivery_error))


def delivery_state(letter) -> str:
    """One line for the letter page and the lists: how the letter went, or that it has not."""
    if letter.status == LetterStatus.DRAFT:
        return ""
    if letter.delivered_at is None:
        if letter.status == LetterStatus.SUPERSEDED:
            return "Superseded by a correction before it was sent"
        return "Issued, not yet sent"
    when = timezone.localtime(letter.delivered_at)
    if letter.message_id:
        return f"Sent by email to {letter.delivered_to} at {when:%H:%M} on {when.day} {when:%b %Y}"
    if letter.posted_on:
        return f"Posted on {letter.posted_on.day} {letter.posted_on:%b %Y}"
    if letter.handed_over_by:
        return f"Handed over by {letter.handed_over_by} at {when:%H:%M} on {when.day} {when:%b %Y}"
    # Issued before Conduct recorded how letters went: it went as issued, when issued.
    return f"Sent {letter.get_sent_by_display().lower()} when it was issued"


def delivery_panel(user, letter) -> dict:
    """The letter page's "Sending" panel: its state and the forms this user may use."""
    if letter.status == LetterStatus.DRAFT:
        return {"delivery": None}
    may = has_role(user, letter.incident.school, DELIVERY_ROLES)
    waiting = letter.status == LetterStatus.ISSUED and letter.delivered_at is None
    sending = waiting and claim_is_live(letter)
    open_to = may and waiting and not sending
    return {"delivery": {
        "state": delivery_state(letter),
        "waiting": waiting,
        "sending": sending,
        "can_send": open_to and letter.sent_by == SentBy.EMAIL,
        "can_post": open_to and may_post(letter),
        "can_hand": open_to,
        "post_form": LetterPostedForm(initial={"posted_on": timezone.localdate()}) if open_to else None,
        "hand_form": LetterHandedForm(user=user) if open_to else None,
    }}


# Checks shared by the services ---------------------------------------------------------------


def _locked(letter) -> Letter:
    return (Letter.objects.select_for_update(of=("self",)).select_related("incident__school", "person")
            .get(pk=letter.pk))


def _check_waiting(actor, letter, action) -> None:
    require_school_role(actor, letter.incident.school, DELIVERY_ROLES, action)
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError("Only an issued letter is sent (a draft is issued first; a superseded letter is not "
                              "sent: its correction is).")
    if letter.delivered_at is not None:
        raise ValidationError(f"This letter has already gone: {delivery_state(letter)}.")
    if claim_is_live(letter):
        raise ValidationError("This letter is being emailed at this moment: reload the page in a minute to see "
                              "whether it went.")


def _record_delivery(actor, letter, reason, summary, note="") -> Letter:
    letter.delivery_recorded_by = actor
    letter.delivery_error = ""
    letter.delivery_claimed_at = None
    save_with_history(letter, reason, actor=actor)
    event_record(actor=actor, incident=letter.incident, kind="letter",
                 summary=f"{summary}: {letter.get_kind_display()} to {letter.person.full_name}", note=note)
    return letter


# Email -----------------------------------------------------------------------------------


def send_after_commit(*, actor, letter) -> None:
    """Email the letter once the issuing transaction commits.

    A rollback sends nothing; whatever happens to the email cannot undo the issue, which has
    committed already (a failure is kept on the letter, shown with a retry).
    """
    letter_id = letter.pk

    def send():
        try:
            letter_email_send(actor=actor, letter=Letter(pk=letter_id))
        except ValidationError as refusal:
            logger.warning("letter %s not emailed after issue: %s", letter_id, " ".join(refusal.messages))

    transaction.on_commit(send, robust=True)


def letter_email_send(*, actor, letter) -> Letter:
    """Email an issued letter to its person, once; return it with its delivery or its error recorded.

    No transaction around the whole: the mail server may take SMTP_TIMEOUT to answer, and a
    transaction held that long would stop every other write (SQLite) or hold the letter's lock.
    A short transaction claims the letter (so a second send waits or finds it sent), the mail goes
    out with no transaction open, and another short one records the Message-ID or the error.
    Call it outside any transaction (a view's, or on_commit's, as send_after_commit does).
    """
    letter = _email_claim(actor=actor, letter=letter)
    message = email_message(letter)
    try:
        sent = message.send()
        if sent != 1:
            raise OSError("the mail backend accepted no message")
    except Exception as error:  # noqa: BLE001 - whatever stops it leaving, the letter must say so and stay issued
        logger.warning("letter %s not emailed: %s", letter.pk, error)
        return _email_failed(actor=actor, letter=letter, error=error)
    return _email_sent(actor=actor, letter=letter, message=message)


@transaction.atomic
def _email_claim(*, actor, letter) -> Letter:
    letter = _locked(letter)
    _check_waiting(actor, letter, "send letters")
    if letter.sent_by != SentBy.EMAIL:
        raise ValidationError(f"This letter was issued to go {letter.get_sent_by_display().lower()}, not by email.")
    if not letter.person.email.strip():
        raise ValidationError("There is no email address for this person: add one, then send the letter again.")
    now = timezone.now()
    # The row lock above is a no-op on SQLite: this conditional update is what lets only one send through.
    claimed = Letter.objects.filter(
        Q(delivery_claimed_at__isnull=True) | Q(delivery_claimed_at__lt=now - CLAIM_EXPIRES),
        pk=letter.pk, delivered_at__isnull=True,
    ).update(delivery_claimed_at=now)
    if not claimed:
        raise ValidationError("This letter is being emailed at this moment: reload the page in a minute.")
    letter.delivery_claimed_at = now
    return letter


def sender_of(school) -> str:
    """The From address: the school's own sender, else DEFAULT_FROM_EMAIL, under the school's name."""
    _name, address = parseaddr(school.letter_from_email or settings.DEFAULT_FROM_EMAIL)
    return formataddr((school.name, address))


def email_message(letter) -> EmailMessage:
    """The email that carries `letter`: a short neutral note, the issued PDF attached."""
    school = letter.incident.school
    sender = sender_of(school)
    domain = parseaddr(sender)[1].rpartition("@")[2] or str(DNS_NAME)
    issued = timezone.localtime(letter.issued_at).date()
    # Nothing of the case in the body: an email is read in shared inboxes and previews.
    body = (
        f"Dear {letter.person.greeting},\n\n"
        f"Please find attached a letter from {school.name}, dated {issued.day} {issued:%B %Y}.\n\n"
        f"If you cannot open the attachment, or would like the letter in another format, please reply to "
        f"this email or telephone the school office on {school.phone}.\n\n"
        f"{school.name}\n{one_line(school.address)}\n"
    )
    message = EmailMessage(
        subject=f"Letter from {school.name}: {letter.get_kind_display()}",
        body=body,
        from_email=sender,
        to=[letter.person.email.strip()],
        reply_to=[school.email],
        headers={"Message-ID": make_msgid(domain=domain)},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT),
    )
    message.attach(f"{letter.incident.reference}-{letter.kind}.pdf", bytes(letter.pdf), "application/pdf")
    return message


@transaction.atomic
def _email_sent(*, actor, letter, message) -> Letter:
    letter = _locked(letter)
    letter.delivered_at = timezone.now()
    letter.delivered_to = message.to[0]
    letter.message_id = message.extra_headers["Message-ID"]
    return _record_delivery(actor, letter, "Letter emailed", f"Letter emailed to {letter.delivered_to}",
                            note=f"Message-ID {letter.message_id}")


@transaction.atomic
def _email_failed(*, actor, letter, error) -> Letter:
    letter = _locked(letter)
    text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    letter.delivery_error = text
    letter.delivery_claimed_at = None
    save_with_history(letter, "Email of the letter failed", actor=actor)
    event_record(actor=actor, incident=letter.incident, kind="letter",
                 summary=f"Email not sent: {letter.get_kind_display()} to {letter.person.full_name} "
                         "(issued, not yet sent)", note=text)
    return letter


# Post ------------------------------------------------------------------------------------


def _check_posted_on(letter, posted_on) -> None:
    if posted_on > timezone.localdate():
        raise ValidationError({"posted_on": "A letter cannot be posted in the future: give the day it went."})
    if posted_on < timezone.localtime(letter.issued_at).date():
        raise ValidationError({"posted_on": "That is before the letter was issued."})


def _mark_posted(actor, letter, posted_on) -> Letter:
    if not may_post(letter):
        raise ValidationError(f"This letter was issued to go {letter.get_sent_by_display().lower()}, not by post.")
    if not letter.person.address.strip():
        raise ValidationError("There is no postal address for this person: add one before posting the letter.")
    _check_posted_on(letter, posted_on)
    letter.posted_on = posted_on
    # When the posting was recorded; the day it went is posted_on.
    letter.delivered_at = timezone.now()
    letter.delivered_to = one_line(f"{letter.person.addressee}\n{letter.person.address}")[:500]
    return _record_delivery(actor, letter, "Letter posted",
                            f"Letter posted on {posted_on.day} {posted_on:%b %Y}", note=f"To {letter.delivered_to}")


@transaction.atomic
def letter_post_mark(*, actor, letter, posted_on) -> Letter:
    """Record that the office posted the letter on `posted_on` (to the person's address as it stands now)."""
    letter = _locked(letter)
    _check_waiting(actor, letter, "record that letters were posted")
    return _mark_posted(actor, letter, posted_on)


@transaction.atomic
def letter_post_mark_all(*, actor, school, letter_ids, posted_on) -> list[Letter]:
    """Record that every letter of a print pack went in the post on `posted_on`.

    `letter_ids`: the letters the office saw in the pack. Those that have gone since (posted one by
    one, handed over) or were superseded are left as they are; a letter of another school, or one
    issued to go another way, is refused, and then nothing is recorded.
    """
    require_school_role(actor, school, DELIVERY_ROLES, "record that letters were posted")
    ids = sorted(set(letter_ids))
    if not ids or len(ids) > PACK_LIMIT:
        raise ValidationError(f"Choose from 1 to {PACK_LIMIT} letters.")
    letters = list(Letter.objects.select_for_update(of=("self",)).select_related("incident__school", "person")
                   .filter(pk__in=ids).order_by("issued_at", "pk"))
    if len(letters) != len(ids) or any(letter.incident.school_id != school.pk for letter in letters):
        raise ValidationError("Some of these letters are not this school's.")
    marked = []
    for letter in letters:
        if letter.status == LetterStatus.ISSUED and letter.delivered_at is None and not claim_is_live(letter):
            marked.append(_mark_posted(actor, letter, posted_on))
    return marked


# By hand ------------------------------------------------------------------------------------


@transaction.atomic
def letter_hand_record(*, actor, letter, handed_over_by, handed_at) -> Letter:
    """Record who handed the letter to the person, and when."""
    letter = _locked(letter)
    _check_waiting(actor, letter, "record that letters were handed over")
    handed_over_by = " ".join(handed_over_by.split())
    if not handed_over_by:
        raise ValidationError({"handed_over_by": "Say who handed the letter over."})
    # A minute's grace: the form's "now" was filled in before the click.
    if handed_at > timezone.now() + timedelta(minutes=1):
        raise ValidationError({"handed_at": "A letter cannot be handed over in the future."})
    if handed_at < letter.issued_at - timedelta(minutes=1):
        raise ValidationError({"handed_at": "That is before the letter was issued."})
    letter.handed_over_by = handed_over_by
    letter.delivered_at = handed_at
    letter.delivered_to = letter.person.addressee
    when = timezone.localtime(handed_at)
    return _record_delivery(actor, letter, "Letter handed over",
                            f"Letter handed over by {handed_over_by} at {when:%H:%M} on {when.day} {when:%b %Y}")


# The print pack ----------------------------------------------------------------------------


def print_pack(letters) -> bytes:
    """The stored PDFs of `letters`, one after the other, each starting on a fresh sheet.

    The bytes are those issued, never a new rendering. A letter with an odd number of pages is
    followed by a blank one, so that printed on both sides no letter starts on the back of another.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for letter in letters:
        reader = PdfReader(io.BytesIO(bytes(letter.pdf)))
        writer.append(reader)
        if len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=last.width, height=last.height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
