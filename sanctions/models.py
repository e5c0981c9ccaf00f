from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conduct.dates import page_date
from conduct.models import School
from incidents.models import Incident, Person


class ActionKind(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    MEETING = "meeting", "Invite the parent to meet a senior member of staff"
    WARNING_LETTER = "warning", "Send a warning letter"
    AUTHORITIES = "authorities", "Contact the appropriate authorities"
    LEGAL_ADVICE = "legal", "Seek advice from the trust's legal team"
    REPORT_POST = "report_post", "Report the post to the social network and ask for its removal"
    SITE_BAN = "ban", "Ban from the school site"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    CHAIR_DECLINED = "chair_declined", "Chair did not sign off"
    REJECTED = "rejected", "Rejected by the head"
    SUPERSEDED = "superseded", "Replaced by a revised proposal"
    DECIDED = "decided", "Decided"


class Proposal(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="proposals")
    actions = models.JSONField(help_text="ActionKind values")
    rationale = models.TextField()
    ban_justification = models.TextField(blank=True)
    includes_ban = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposed_at", "pk"]
        indexes = [
            # The head's work lists: does a case at "response proposed" have an open proposal?
            models.Index(fields=["incident", "status"], name="proposal_incident_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=Q(status="pending"), name="proposal_one_pending_per_case"
            )
        ]

    def __str__(self):
        return f"Proposal in {self.incident}: {', '.join(self.action_labels())}"

    def action_labels(self):
        return [ActionKind(a).label for a in self.actions]


class ConsultationMethod(models.TextChoices):
    MEETING = "meeting", "In person"
    PHONE = "phone", "By telephone"
    VIDEO = "video", "By video call"
    EMAIL = "email", "By email"


class ChairConsultation(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="consultations")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="consultations", null=True, blank=True
    )
    # A consultation about extending a ban past its original end.
    ban = models.ForeignKey(
        "SiteBan", on_delete=models.PROTECT, related_name="extension_consultations", null=True, blank=True
    )
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consulted_on = models.DateField()
    method = models.CharField(max_length=10, choices=ConsultationMethod.choices)
    chair_view = models.TextField("The Chair's view")
    signed_off = models.BooleanField()
    reasons_not_signed = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_off=True) | ~Q(reasons_not_signed=""),
                name="consultation_reasons_when_not_signed",
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(ban__isnull=False),
                name="consultation_about_something",
            ),
        ]

    def __str__(self):
        return f"Chair's consultation in {self.incident} ({'signed off' if self.signed_off else 'not signed off'})"


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", "Approved as proposed"
    CHANGED = "changed", "Approved with changes"
    REJECTED = "rejected", "Rejected: a new proposal is needed"


class Decision(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    actions = models.JSONField(default=list)
    reasons = models.TextField()
    includes_ban = models.BooleanField(default=False, editable=False)
    consultation = models.ForeignKey(
        ChairConsultation, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            # The database itself refuses a ban decision that names no consultation.
            models.CheckConstraint(
                condition=Q(includes_ban=False) | Q(consultation__isnull=False),
                name="decision_ban_needs_consultation",
            )
        ]

    def __str__(self):
        return f"Decision in {self.incident}: {self.get_outcome_display()}"

    def action_labels(self):
        return [ActionKind(a).label for a in self.actions]


class DecisionAction(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="followups")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True, help_text="e.g. the police reference")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done=False) | Q(done_on__isnull=False), name="action_done_has_date"),
            models.UniqueConstraint(fields=["decision", "kind"], name="action_once_per_decision"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({'done' if self.done else 'to do'})"


class BanRoute(models.TextChoices):
    NOTICE = "notice", "Notice of intended ban"
    PROVISIONAL = "provisional", "Provisional ban (in force now)"


class BanStatus(models.TextChoices):
    INTENDED = "intended", "Notice given: not yet in force"
    PROVISIONAL = "provisional", "Provisional: in force, representations invited"
    CONFIRMED = "confirmed", "Confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LIFTED = "lifted", "Lifted on review"
    ENDED = "ended", "Ended"


IN_FORCE_STATUSES = (BanStatus.PROVISIONAL, BanStatus.CONFIRMED)


class SiteBan(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="bans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bans")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="bans")
    # Non-null: no ban row can exist without the Chair's consultation; unique (below): each ban has its own.
    consultation = models.ForeignKey(ChairConsultation, on_delete=models.PROTECT, related_name="bans")
    # Set only by migration 0004 on bans started, before each ban needed its own sign-off, on a
    # sign-off an earlier ban had used: the record stays as it was made, and conduct_audit reports it.
    shared_signoff = models.BooleanField(default=False, editable=False)
    sites = models.ManyToManyField(School, related_name="bans_covering")
    route = models.CharField(max_length=12, choices=BanRoute.choices)
    status = models.CharField(max_length=12, choices=BanStatus.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    original_ends_on = models.DateField()
    review_on = models.DateField()
    representations_by = models.DateField()
    pupil_arrangements = models.TextField("Arrangements for the pupil's drop-off and collection")
    reasons = models.TextField(blank=True)
    # The head's reasons for confirming, kept apart from the ban's own reasons above.
    confirmation_reasons = models.TextField(blank=True)
    no_representations_noted = models.BooleanField(default=False)
    # The day a ban that had begun stopped early (lifted on review, or a provisional ban withdrawn): the
    # person may return from then, and reception's register says so for a month.
    lifted_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[sites])

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [
            # The ban register (bans in force today) and the trust's per-school table.
            models.Index(fields=["status", "ends_on"], name="ban_status_ends"),
            # The head's work list: bans whose deadline for representations has passed.
            models.Index(fields=["status", "representations_by"], name="ban_status_representations"),
            # The head's work list: ban reviews due within seven days.
            models.Index(fields=["status", "review_on"], name="ban_status_review"),
            # The register's "starting soon" (status, starts_on) and "may return" (status, lifted_on).
            models.Index(fields=["status", "starts_on"], name="ban_status_starts"),
            models.Index(fields=["status", "lifted_on"], name="ban_status_lifted"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="ban_ends_after_start"),
            models.CheckConstraint(condition=Q(review_on__lte=models.F("ends_on")), name="ban_review_before_end"),
            models.CheckConstraint(condition=Q(status__in=BanStatus.values), name="ban_status_valid"),
            # A notice of intended ban takes effect only after the parent's deadline for representations.
            models.CheckConstraint(condition=Q(route="provisional") | Q(starts_on__gt=models.F("representations_by")),
                                   name="ban_notice_starts_after_deadline"),
            models.UniqueConstraint(fields=["consultation"], condition=Q(shared_signoff=False),
                                    name="ban_own_consultation"),
        ]

    def __str__(self):
        return f"Ban: {self.person} ({self.get_status_display()})"

    def clean(self):
        # The service checks this too; clean() keeps any other route (admin,
        # shell with full_clean) from saving a ban without the Chair's sign-off.
        from django.core.exceptions import ValidationError

        consultation = self.consultation if self.consultation_id else None
        if consultation is None or not consultation.signed_off:
            raise ValidationError("A ban needs the Chair of the Local Academy Board's signed-off consultation.")
        if self.incident_id and consultation.incident_id != self.incident_id:
            raise ValidationError("The Chair's consultation belongs to another case.")
        if consultation.proposal_id is None:
            raise ValidationError("A ban rests on the Chair's consultation on the proposal that led to it.")
        if self.decision_id and (
            ActionKind.SITE_BAN not in (self.decision.actions or []) or self.decision.consultation_id != consultation.pk
        ):
            raise ValidationError("The head's decision does not include this signed-off ban.")

    @property
    def in_force(self):
        today = timezone.localdate()
        return self.status in IN_FORCE_STATUSES and self.starts_on <= today <= self.ends_on


class BanBreach(models.Model):
    """A banned person came onto the site: the new case that records it, linked to the ban it broke."""

    ban = models.ForeignKey(SiteBan, on_delete=models.PROTECT, related_name="breaches")
    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="ban_breach")
    police_called = models.BooleanField(default=False)
    police_reference = models.CharField(max_length=100, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(police_called=True) | Q(police_reference=""),
                                   name="breach_reference_only_if_police_called"),
        ]

    def __str__(self):
        return f"Breach of {self.ban} ({self.incident.reference})"


class Representation(models.Model):
    ban = models.ForeignKey(SiteBan, on_delete=models.PROTECT, related_name="representations")
    received_on = models.DateField()
    summary = models.TextField()
    attachment = models.FileField(upload_to="representations/", blank=True, max_length=300)
    attachment_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"Representations received {page_date(self.received_on)} about {self.ban}"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue unchanged"
    SHORTEN = "shorten", "Shorten"
    EXTEND = "extend", "Extend"
    LIFT = "lift", "Lift the ban"


class BanReview(models.Model):
    ban = models.ForeignKey(SiteBan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    new_ends_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    reasons = models.TextField()
    consultation = models.ForeignKey(
        ChairConsultation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self):
        return f"Review {page_date(self.reviewed_on)} of {self.ban}: {self.get_outcome_display()}"


class LetterKind(models.TextChoices):
    MEETING_INVITATION = "meeting", "Invitation to meet a senior member of staff"
    WARNING = "warning", "Warning letter"
    INTENDED_BAN = "intended_ban", "Notice of intended ban"
    PROVISIONAL_BAN = "provisional_ban", "Provisional ban"
    BAN_CONFIRMATION = "ban_confirmed", "Ban confirmation"
    BAN_WITHDRAWN = "ban_withdrawn", "Ban withdrawn or lifted"
    BAN_REVIEW = "ban_review", "Ban review outcome"
    COMPLAINT_OUTCOME = "complaint_outcome", "Complaint outcome"


BAN_LETTER_KINDS = {
    LetterKind.INTENDED_BAN,
    LetterKind.PROVISIONAL_BAN,
    LetterKind.BAN_CONFIRMATION,
    LetterKind.BAN_WITHDRAWN,
    LetterKind.BAN_REVIEW,
}


# The letters that may quote the policy's note on who collects the child: the first, milder responses.
COLLECTORS_NOTE_KINDS = [LetterKind.MEETING_INVITATION, LetterKind.WARNING]
# That note (policy section 2), word for word.
COLLECTORS_NOTE = ("Can parents please ensure they make all persons responsible for collecting their children "
                   "aware of this policy.")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"
    SUPERSEDED = "superseded", "Superseded by a correction"


class SentBy(models.TextChoices):
    POST = "post", "By post"
    EMAIL = "email", "By email"
    HAND = "hand", "By hand"


class Letter(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="letters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="letters")
    ban = models.ForeignKey(SiteBan, on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    status = models.CharField(max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    # The paragraphs the school writes for this case; the rest comes from the template.
    specific_paragraphs = models.TextField(blank=True)
    # What happened, in neutral terms: starts as the incident's account, edited for the parent.
    facts = models.TextField("What happened, in neutral terms", blank=True)
    # False while `facts` is still the staff's account (the office's description): not fit to send.
    facts_for_parent = models.BooleanField(default=False)
    # The letter's own copies of the ban's, the confirmation's or the review's words, editable in the draft.
    reasons = models.TextField("Reasons, as the letter gives them", blank=True)
    pupil_arrangements = models.TextField("Pupil's drop-off and collection, as the letter gives them", blank=True)
    # An invitation to meet or a warning may quote the policy's note asking parents to make everyone who
    # collects their child aware of the code (section 2).
    collectors_note = models.BooleanField("Include the policy's note on who collects the child", default=False)
    # For a review outcome letter: the review it reports.
    review = models.ForeignKey("BanReview", on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    # For a complaint outcome letter: the stage of the complaint whose outcome it tells the complainant.
    complaint_step = models.ForeignKey("ComplaintStep", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="letters")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=10, choices=SentBy.choices, blank=True)
    # The HTML the PDF was rendered from, frozen with it: accessible formats are rendered from it.
    html = models.TextField(blank=True, editable=False)
    # Delivery: when and where the letter went (emailed, posted or handed over); empty until it has.
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_to = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    posted_on = models.DateField(null=True, blank=True)
    handed_over_by = models.CharField(max_length=200, blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last failed attempt to email it (shown with a retry), and a claim that stops two sends at once.
    delivery_error = models.TextField(blank=True)
    delivery_claimed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["pdf", "html"])

    class Meta:
        ordering = ["drafted_at", "pk"]
        indexes = [
            # The office's work list and the print pack: issued letters not yet sent, by case.
            models.Index(fields=["incident", "sent_by"], condition=Q(status="issued", delivered_at__isnull=True),
                         name="letter_awaiting_delivery"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(pdf__isnull=False) & ~Q(sha256="") & Q(issued_at__isnull=False) & ~Q(sent_by="")),
                name="letter_issued_is_frozen",
            ),
            models.CheckConstraint(
                condition=Q(collectors_note=False) | Q(kind__in=COLLECTORS_NOTE_KINDS),
                name="letter_collectors_note_kinds",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.person}"

    def save(self, *args, **kwargs):
        # Belt and braces under the services: the bytes of an issued letter never change.
        if self.pk:
            stored = Letter.objects.filter(pk=self.pk).values("status", "sha256", "kind", "person_id", "pdf").first()
            if (
                stored
                and stored["status"] != LetterStatus.DRAFT
                and (
                    stored["sha256"] != self.sha256
                    or bytes(stored["pdf"] or b"") != bytes(self.pdf or b"")
                    or stored["kind"] != self.kind
                    or stored["person_id"] != self.person_id
                    or self.status == LetterStatus.DRAFT
                )
            ):
                raise ValueError("An issued letter never changes; write a correction instead.")
        super().save(*args, **kwargs)


class CaseAccount(models.Model):
    """What happened, as the case's letters tell it: one text per case, written for the parent."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="letter_account")
    text = models.TextField("What happened, as letters tell it")
    # False while the text is the office's description, written for staff: no letter may be issued with it.
    for_parent = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    def __str__(self):
        return f"Account for letters on {self.incident}"


class LetterFormatKind(models.TextChoices):
    LARGE_PRINT = "large_print", "Large print (16 pt)"


class LetterFormat(models.Model):
    """An issued letter in an accessible format, rendered from the same frozen wording (Equality Act 2010)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="formats")
    kind = models.CharField(max_length=20, choices=LetterFormatKind.choices)
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        ordering = ["made_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["letter", "kind"], name="letter_format_once")]

    def __str__(self):
        return f"{self.letter} in {self.get_kind_display().lower()}"


class ReminderKind(models.TextChoices):
    REPRESENTATIONS_DUE = "representations", "Representations deadline passed"
    REVIEW_DUE = "review", "Ban review due"
    ENDING = "ending", "Ban ending"


class ReminderSent(models.Model):
    """A reminder emailed by `conduct_reminders`; the unique key makes each one go once."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    ban = models.ForeignKey(SiteBan, on_delete=models.CASCADE, related_name="reminders_sent")
    # The date the reminder is about (deadline, review or end): a new date, a new reminder.
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "ban", "due_on"], name="reminder_sent_once")]

    def __str__(self):
        return f"{self.get_kind_display()} ({page_date(self.due_on)})"


class ComplaintStage(models.TextChoices):
    INFORMAL = "informal", "Informal"
    FORMAL = "formal", "Formal"
    PANEL = "panel", "Complaints panel"
    CLOSED = "closed", "Closed"


# Stages move forward only, in this order; each open stage has a deadline from the trust's procedure.
COMPLAINT_STAGE_ORDER = (ComplaintStage.INFORMAL, ComplaintStage.FORMAL, ComplaintStage.PANEL, ComplaintStage.CLOSED)
COMPLAINT_OPEN_STAGES = (ComplaintStage.INFORMAL, ComplaintStage.FORMAL, ComplaintStage.PANEL)


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn by the complainant"


class Complaint(models.Model):
    """A complaint under the trust's complaints procedure about a decision or a ban of this case."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="complaints")
    complainant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaints")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    ban = models.ForeignKey(SiteBan, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    received_on = models.DateField()
    summary = models.TextField("What the complaint says")
    stage = models.CharField(max_length=10, choices=ComplaintStage.choices)
    # The open stage's deadline for its outcome, copied from its step so work lists read one indexed column;
    # empty while the complainant decides whether to take it further, and once closed.
    deadline = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            # The head's and the trust's work lists: complaints whose stage's outcome is due, soonest first.
            models.Index(fields=["stage", "deadline"], name="complaint_stage_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(decision__isnull=True) ^ Q(ban__isnull=True),
                                   name="complaint_about_one_thing"),
            models.CheckConstraint(condition=Q(stage__in=ComplaintStage.values), name="complaint_stage_valid"),
            models.CheckConstraint(condition=~Q(stage="closed") | Q(deadline__isnull=True),
                                   name="complaint_closed_has_no_deadline"),
        ]

    def __str__(self):
        return f"Complaint from {self.complainant} received {page_date(self.received_on)}"

    @property
    def about(self) -> str:
        if self.ban_id:
            return f"the ban from the school site ({self.ban.get_status_display().split(':')[0].lower()})"
        return f"the head's decision of {page_date(timezone.localtime(self.decision.decided_at).date())}"


class ComplaintStep(models.Model):
    """One stage of a complaint: when it started, its deadline, and its outcome once reached."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField(max_length=10, choices=ComplaintStage.choices)
    started_on = models.DateField()
    deadline = models.DateField()
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    reasons = models.TextField("Reasons for the outcome", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_step_once"),
            models.CheckConstraint(condition=Q(stage__in=COMPLAINT_OPEN_STAGES), name="complaint_step_stage_valid"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("started_on")),
                                   name="complaint_step_deadline_after_start"),
            models.CheckConstraint(condition=Q(outcome="", outcome_on__isnull=True)
                                   | (~Q(outcome="") & Q(outcome_on__isnull=False) & ~Q(reasons="")),
                                   name="complaint_step_outcome_complete"),
        ]

    def __str__(self):
        outcome = self.get_outcome_display() if self.outcome else f"due by {page_date(self.deadline)}"
        return f"{self.get_stage_display()} stage: {outcome}"
