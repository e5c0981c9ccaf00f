"""Subject access requests, retention and the access log (UK GDPR)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conduct.models import School, Trust
from incidents.models import Incident, Person

# The access log ---------------------------------------------------------------------------


class AccessKind(models.TextChoices):
    CASE = "case", "Case page"
    PERSON = "person", "Person page"
    LETTER = "letter", "Letter"
    EVIDENCE = "evidence", "Evidence file"
    CASE_SUMMARY = "case_summary", "Case summary PDF"
    REPRESENTATION = "representation", "Representations attachment"
    VISITOR_CHECK = "visitor_check", "Visitor checked against the ban register"
    REGISTER_EXPORT = "register_export", "Ban register exported for the visitor system"


class AccessLogEntry(models.Model):
    """One view of a record. Written on every page view: one INSERT, no history, no triggers.

    Plain ids rather than foreign keys for the records seen, so the insert
    checks no constraint and a record's retention never has to cascade here.
    """

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    object_id = models.PositiveBigIntegerField()
    incident_id = models.PositiveBigIntegerField(null=True, blank=True)
    person_id = models.PositiveBigIntegerField(null=True, blank=True)
    school_id = models.PositiveBigIntegerField(null=True, blank=True)
    # For a look-up rather than a page: what was typed at reception, or what an export held.
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "access log entries"
        indexes = [
            # "Who has looked at this case": the latest views of one case.
            models.Index(fields=["incident_id", "-at"], name="access_incident_latest"),
            # The DPO's export for a person, and a subject access request's gathering.
            models.Index(fields=["person_id", "-at"], name="access_person_latest"),
            # Retention deletes the oldest entries.
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} seen {self.at:%d/%m/%Y %H:%M}"


# Subject access requests ----------------------------------------------------------------


class Channel(models.TextChoices):
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By telephone"
    OTHER = "other", "Another way (say how in the notes)"


class IdentityMethod(models.TextChoices):
    NOT_YET = "", "Not checked yet"
    KNOWN = "known", "Known to the school (seen in person by staff who know them)"
    PHOTO_ID = "photo_id", "Photo identification seen in person"
    DOCUMENTS = "documents", "Copies of identity documents and proof of address"
    CONTACT_ON_FILE = "contact_on_file", "Request came from the contact details the school holds"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "Gathered: redactions under review"
    RELEASED = "released", "Answered: pack released"


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_REVIEW)


class PauseReason(models.TextChoices):
    """What the controller may stop the clock for (UK GDPR Art. 12(3A), Data (Use and Access) Act 2025).
    The labels complete "waiting for …"."""

    IDENTITY = "identity", "the requester's proof of identity"
    CLARIFICATION = "clarification", "the requester to clarify what they ask for"


class SubjectAccessRequest(models.Model):
    # The school that handles it (its head may answer it); empty for one made to the trust.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Empty when Conduct holds nobody of that name: the answer is "nothing held".
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requester_name = models.CharField("Name of the person asking", max_length=200)
    reply_to = models.TextField("Where to send the answer (address or email)")
    received_on = models.DateField()
    channel = models.CharField(max_length=12, choices=Channel.choices)
    notes = models.TextField(blank=True)
    identity_method = models.CharField(max_length=20, choices=IdentityMethod.choices, blank=True)
    identity_notes = models.TextField(blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(help_text="One calendar month after receipt.")
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    # While the clock is paused: since when, and what for (the open RequestPause's, copied so lists need no join).
    paused_since = models.DateField(null=True, blank=True)
    paused_for = models.CharField(max_length=20, choices=PauseReason.choices, blank=True)
    # The days of every pause that has ended: the deadline moved on by as many.
    paused_days = models.PositiveIntegerField(default=0)
    # The date that counts: due_on, or extended_to once extended, plus paused_days. Stored so lists order by an index.
    deadline = models.DateField()
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    gathered_at = models.DateTimeField(null=True, blank=True)
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The schools whose records the gathering covered (ids), as the gatherer was allowed to read them.
    gathered_school_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # The work lists: open requests, the nearest deadline (overdue first) first.
            models.Index(fields=["status", "deadline"], name="sar_status_deadline"),
            models.Index(fields=["school", "status", "deadline"], name="sar_school_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="sar_status_valid"),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""), name="sar_extension_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=models.F("due_on")),
                name="sar_extension_after_due",
            ),
            models.CheckConstraint(
                condition=Q(paused_since__isnull=True, paused_for="")
                | (Q(paused_since__isnull=False) & Q(paused_for__in=PauseReason.values)),
                name="sar_paused_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.requester_name}"

    def get_absolute_url(self):
        return reverse("privacy:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SAR-{self.received_on:%Y}-{self.pk:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    @property
    def overdue(self) -> bool:
        # A paused clock does not run: the deadline moves on by every day of the pause.
        return self.is_open and not self.paused and self.deadline < timezone.localdate()

    @property
    def identity_checked(self) -> bool:
        return bool(self.identity_method)


class RequestEvent(models.Model):
    """The request's own timeline: every step writes one."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    # The school whose record the step was about (a decision on one gathered record); empty for a step
    # on the request itself. A head who does not lead that school sees that a step was taken, not what.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A step on a record from before events named the record's school: shown only to the trust's DPO.
    trust_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="sar_event_request_at")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.summary}"


class RequestPause(models.Model):
    """One stop of the clock while the DPO waits for the requester. A request may be paused more
    than once, one pause at a time; each ended pause moves the request's deadline on by its days."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    # What was asked of the requester, when and how: the proof that the clock could stop.
    detail = models.TextField()
    paused_from = models.DateField()
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paused_at = models.DateTimeField(default=timezone.now)
    resumed_on = models.DateField(null=True, blank=True)
    resume_note = models.TextField(blank=True)
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    resumed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["paused_from", "pk"]
        indexes = [models.Index(fields=["request", "paused_from"], name="sar_pause_request_from")]
        constraints = [
            models.UniqueConstraint(fields=["request"], condition=Q(resumed_on__isnull=True),
                                    name="sar_pause_one_open"),
            models.CheckConstraint(condition=Q(reason__in=PauseReason.values), name="sar_pause_reason_valid"),
            models.CheckConstraint(condition=~Q(detail=""), name="sar_pause_has_detail"),
            models.CheckConstraint(condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=models.F("paused_from")),
                                   name="sar_pause_resumed_after_start"),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True, resumed_by__isnull=True, resumed_at__isnull=True)
                | Q(resumed_on__isnull=False, resumed_by__isnull=False, resumed_at__isnull=False),
                name="sar_pause_resumed_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.request.reference} paused from {self.paused_from:%d/%m/%Y}"

    @property
    def days(self) -> int | None:
        """Days the clock stood still; None while the pause is open."""
        return None if self.resumed_on is None else (self.resumed_on - self.paused_from).days


class ItemKind(models.TextChoices):
    PERSON = "person", "Person record"
    PERSON_HISTORY = "person_history", "Changes to the person record"
    INCIDENT = "incident", "Incident"
    STATEMENT = "statement", "Statement"
    CONVERSATION = "conversation", "Conversation with the parent"
    PROPOSAL = "proposal", "Proposed response"
    CONSULTATION = "consultation", "Chair's consultation"
    DECISION = "decision", "Head's decision and actions"
    LETTER = "letter", "Letter sent to you"
    BAN = "ban", "Site ban"
    REPRESENTATION = "representation", "Your representations"
    COMPLAINT = "complaint", "Your complaint"
    EVIDENCE = "evidence", "Evidence file"
    ACCESS_LOG = "access_log", "Who looked at your records"


class ItemDecision(models.TextChoices):
    RELEASE = "release", "Release"
    WITHHOLD = "withhold", "Withhold"


class PackItem(models.Model):
    """One record gathered for a request, as it stood when gathered.

    `fields` is a list of [label, text] pairs; the names of third parties in
    them are redacted when the pack is rendered, as the Redaction rows say.
    """

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="items")
    # The school whose record this is; empty for the person record, which the trust's schools share.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    source = models.CharField(max_length=60, help_text="app_label.model:pk of the record gathered")
    dated = models.DateTimeField()
    title = models.CharField(max_length=300)
    fields = models.JSONField(default=list)
    # Letters: the exact PDF sent, copied when gathered (issued letters never change).
    letter_pdf = models.BinaryField(null=True, blank=True, editable=False)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    # Evidence and representation attachments: the stored file's name in storage, read at release.
    file_name = models.CharField(max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    # Pupils' own statements need the head's decision; evidence files the reviewer's.
    needs_head_decision = models.BooleanField(default=False)
    needs_decision = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=ItemDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # No simple-history: gathering again replaces the rows wholesale, and every decision is
    # already on the row (who, when, why) and on the request's timeline.

    class Meta:
        ordering = ["dated", "pk"]
        indexes = [models.Index(fields=["request", "dated"], name="packitem_request_dated")]

    def __str__(self):
        return self.title

    @property
    def released(self) -> bool:
        """Whether the record goes into the pack (items that need no decision always do)."""
        if self.needs_head_decision or self.needs_decision:
            return self.decision == ItemDecision.RELEASE
        return True


class RedactionCategory(models.TextChoices):
    OTHER_PERSON = "other_person", "other parent or visitor"
    WITNESS = "witness", "witness"
    PUPIL = "pupil", "pupil"
    STAFF = "staff", "member of staff"
    THIRD_PARTY = "third_party", "third party"


class RedactionDecision(models.TextChoices):
    KEEP = "keep", "Keep redacted"
    RELEASE = "release", "Release"


class Redaction(models.Model):
    """A third party's name in one gathered record: redacted unless a reviewer releases it."""

    item = models.ForeignKey(PackItem, on_delete=models.CASCADE, related_name="redactions")
    term = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=RedactionCategory.choices)
    decision = models.CharField(max_length=10, choices=RedactionDecision.choices, default=RedactionDecision.KEEP)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "term"], name="redaction_once_per_item"),
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(reason=""), name="redaction_reasoned"),
        ]

    def __str__(self):
        return f"{self.term} ({self.get_category_display()})"


def pack_path(instance, filename):
    return f"privacy/packs/{instance.request_id}/{filename}"


class Pack(models.Model):
    """The released answer: frozen once written, like an issued letter."""

    request = models.OneToOneField(SubjectAccessRequest, on_delete=models.PROTECT, related_name="pack")
    pdf = models.FileField(upload_to=pack_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    zip = models.FileField(upload_to=pack_path, max_length=300)
    zip_sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(default=list)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Pack for {self.request}"

    def save(self, *args, **kwargs):
        if self.pk and Pack.objects.filter(pk=self.pk).exists():
            raise ValueError("A released pack never changes.")
        super().save(*args, **kwargs)


# Retention ----------------------------------------------------------------------------------


class RecordType(models.TextChoices):
    CLOSED_CASE = "closed_case", "Closed case (from the day it closed)"
    ENDED_BAN = "ended_ban", "Site ban (from the day it ended)"
    LETTER = "letter", "Letter (from the day it was issued)"
    EVIDENCE = "evidence", "Evidence file (from the day its case closed)"
    ACCESS_LOG = "access_log", "Access log entry (from the day of the view)"
    ANSWERED_REQUEST = "answered_request", "Subject access request (from the day its pack was released)"


class RetentionPolicy(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    months = models.PositiveIntegerField()
    reason = models.TextField(help_text="Why this period: the guidance followed (e.g. the IRMS toolkit for schools).")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["trust", "record_type"]
        verbose_name_plural = "retention policies"
        constraints = [
            models.UniqueConstraint(fields=["trust", "record_type"], name="retention_once_per_type"),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_at_least_a_month"),
        ]

    def __str__(self):
        return f"{self.get_record_type_display()}: {self.months} months"


class HoldReason(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    CLAIM = "claim", "Legal claim"
    POLICE = "police", "Police matter"
    SAR = "sar", "Open subject access request"
    OTHER = "other", "Other"


class Hold(models.Model):
    """While a hold stands, retention never touches the case or anything in it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=HoldReason.choices)
    reason = models.TextField()
    review_on = models.DateField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "pk"]
        indexes = [models.Index(fields=["incident", "released_at"], name="hold_incident_open")]
        constraints = [
            models.CheckConstraint(condition=Q(released_at__isnull=True) | ~Q(release_reason=""),
                                   name="hold_release_reasoned"),
        ]

    def __str__(self):
        return f"Hold on {self.incident}: {self.get_kind_display()}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class RetentionRun(models.Model):
    """A log of each `retention_review --apply`: what it did, per record type."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    skipped_held = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Retention run {self.started_at:%d/%m/%Y %H:%M}"


class AnonymisedRecord(models.Model):
    """The marker that a record was anonymised (or deleted): a second run passes it by."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(max_length=20)
    model = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="anonymised_once")]

    def __str__(self):
        return f"{self.model}:{self.object_id} anonymised {self.at:%d/%m/%Y}"
