import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, models
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conduct.dates import page_date
from conduct.models import School
from incidents.workflow import Stage


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    VISITOR = "visitor", "Visitor"
    OTHER = "other", "Other"


class PersonTitle(models.TextChoices):
    MR = "Mr", "Mr"
    MRS = "Mrs", "Mrs"
    MS = "Ms", "Ms"
    MISS = "Miss", "Miss"
    MX = "Mx", "Mx"
    DR = "Dr", "Dr"


class Person(models.Model):
    """A parent, carer or visitor. Shared across the trust's schools."""

    title = models.CharField(max_length=4, choices=PersonTitle.choices, blank=True,
                             help_text="Letters open “Dear Ms Stone”; with no title, “Dear Lisa Stone”.")
    full_name = models.CharField(max_length=200)
    salutation = models.CharField(
        "How letters greet them", max_length=120, blank=True,
        help_text="Only if not title and surname, e.g. “Mr and Mrs Stone” or “Dr Okafor-Hale”.",
    )
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    address = models.TextField("Address for letters", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Free-text notes are each school's own: PersonSchoolNote.
    photo = models.ImageField(upload_to="photos/", blank=True)
    # The school whose staff added the person: they may see the record even
    # before it is linked to an incident.
    added_at_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name_plural = "people"
        indexes = [
            # The people list (/people/) pages through everyone in name order.
            models.Index(fields=["full_name", "id"], name="person_name_order"),
            # The duplicate guard and the trust's cross-school check: the same email or phone, as typed anywhere.
            models.Index(Upper("email"), name="person_email_upper"),
            models.Index(Replace("phone", Value(" "), Value("")), name="person_phone_digits"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("incidents:person_detail", args=[self.pk])

    @property
    def addressee(self) -> str:
        """The first line of a letter's address: "Ms Lisa Stone"."""
        return f"{self.title} {self.full_name}" if self.title else self.full_name

    @property
    def greeting(self) -> str:
        """What follows "Dear": the override, or title and surname, or the full name when there is no title."""
        if self.salutation.strip():
            return self.salutation.strip()
        names = self.full_name.split()
        if self.title and names:
            return f"{self.title} {names[-1]}"
        return self.full_name


class PersonSchoolNote(models.Model):
    """One school's notes on a shared person: the person is the trust's, what a school writes about them is
    that school's, and another school never reads it (DESIGN: "One person, one record")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="school_notes")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "school"], name="personschoolnote_unique")]

    def __str__(self):
        return f"{self.school}'s notes on {self.person}"


class Pupil(models.Model):
    """A pupil connected with a person, as one school knows them: name and year group only, on purpose.

    Linked per school, so a school sees only the children it linked (a child at All Saints is not St Mary's
    business)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pupils")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    year_group = models.CharField(max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        # A person's pupils as one school sees them (the person page, the people list).
        indexes = [models.Index(fields=["person", "school"], name="pupil_person_school")]

    def __str__(self):
        return f"{self.name} ({self.year_group})" if self.year_group else self.name


class PersonAlias(models.Model):
    """Another name a person goes by, as one school knows it: a maiden name, a nickname, the handle that posted.

    One school's, like its notes: search, the picker and the duplicate guard find a person by the aliases of
    the schools the user reads, and another school never sees them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("Other name", max_length=200)
    note = models.CharField("What this name is", max_length=200, blank=True,
                            help_text="e.g. “maiden name”, “nickname”, “Facebook: the account that posted”.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "person aliases"
        # A person's aliases as one school sees them (the person page, the picker's labels).
        indexes = [models.Index(fields=["person", "school"], name="personalias_person_school")]

    def __str__(self):
        return self.name


class CodeGivenHow(models.TextChoices):
    ADMISSION_PACK = "admission_pack", "In the admission pack"
    LETTER = "letter", "By letter"
    EMAIL = "email", "By email"
    IN_PERSON = "in_person", "In person"


class CodeOfConductGiven(models.Model):
    """One time a school gave a person the parent code of conduct, and how.

    One school's, like its notes: when St Mary's gave it says nothing of what All Saints did, and another school
    never reads it. Several rows for one school are several occasions (the admission pack, then a copy with a
    warning letter)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="codes_given")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField("Given on")
    how = models.CharField("How it was given", max_length=20, choices=CodeGivenHow.choices)
    note = models.CharField(max_length=300, blank=True,
                            help_text="Optional, e.g. “the 2025 edition, with the starter pack”.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = "code of conduct given"
        verbose_name_plural = "codes of conduct given"
        # A person's occasions as one school sees them, latest first (the person page).
        indexes = [models.Index(fields=["person", "school", "-given_on"], name="codegiven_person_school")]
        constraints = [models.CheckConstraint(condition=Q(how__in=CodeGivenHow.values), name="codegiven_how_valid")]

    def __str__(self):
        return f"Code of conduct given to {self.person} {self.get_how_display().lower()} on {page_date(self.given_on)}"


class Collector(models.Model):
    """Someone a person named as collecting their child, as one school knows it.

    Policy section 2 asks parents to make everyone who collects their children aware of the code: `told_on`
    is when the school knows that happened (empty: not yet known). One school's, like its pupils."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="collectors")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    relationship = models.CharField("Relationship to the child", max_length=100,
                                    help_text="e.g. “grandmother”, “childminder”, “neighbour”.")
    told_on = models.DateField("Told of the code of conduct on", null=True, blank=True,
                               help_text="Leave empty until you know they were told.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        # A person's collectors as one school sees them (the person page, the ban form's choices).
        indexes = [models.Index(fields=["person", "school"], name="collector_person_school")]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="collector_has_name")]

    def __str__(self):
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


class PersonMerge(models.Model):
    """Two records of one person made one: the record that went, as it was, and who merged it and when.

    The removed record's rows (case links, statements' people, letters, bans, requests, history) now point
    at the survivor; this row is what the survivor's page shows ("merged from … on …")."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges")
    merged_person_id = models.PositiveBigIntegerField(help_text="The removed record's number.")
    merged_name = models.CharField(max_length=200)
    merged_details = models.JSONField(default=dict, help_text="The removed record's shared details as they were.")
    moved = models.JSONField(default=dict, help_text="How many rows of each kind followed the survivor.")
    reason = models.TextField(blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        indexes = [models.Index(fields=["survivor", "merged_at"], name="personmerge_survivor")]

    def __str__(self):
        return f"{self.merged_name} (#{self.merged_person_id}) merged into {self.survivor}"


class MatchReason(models.TextChoices):
    SAME_RECORD = "same_record", "The same record"
    LIKELY = "likely", "A likely match: the same name and contact details"


class MatchStatus(models.TextChoices):
    OPEN = "open", "Not yet looked at"
    SAME = "same", "Confirmed: the same person"
    NOT_SAME = "not_same", "Not the same person"


class PersonMatch(models.Model):
    """Two schools of the trust holding records about one adult, or someone who may be them.

    Each school's head (and the DPO) is told which school to contact, and nothing of its cases: the trust is
    one data controller, and a course of conduct (Protection from Harassment Act 1997) counts occasions
    across schools. Stored with the lower school id first; `person` is that school's record."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    other_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=MatchReason.choices)
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "person", "other_school", "other_person"],
                                    name="personmatch_unique_pair"),
            models.CheckConstraint(condition=Q(school__lt=models.F("other_school")), name="personmatch_school_order"),
        ]
        indexes = [
            # A head's open alerts, from either side of the pair (the work list, the case page).
            models.Index(fields=["school", "status", "person"], name="personmatch_school_status"),
            models.Index(fields=["other_school", "status", "other_person"], name="personmatch_other_status"),
        ]

    def __str__(self):
        return f"{self.person} at {self.school} / {self.other_person} at {self.other_school}"


class BreachCategory(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    policy_wording = models.TextField(help_text="The policy's own words, quoted in letters.")
    policy_section = models.CharField(max_length=20)
    active = models.BooleanField(
        default=True, help_text="Retired categories stay on old incidents but cannot be chosen."
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "breach categories"

    def __str__(self):
        return self.name


class Location(models.TextChoices):
    PREMISES = "premises", "On the school premises"
    OFF_SITE = "off_site", "Off site"
    ONLINE = "online", "Online or social media"


class Incident(models.Model):
    """An incident is the case: it carries the workflow stage."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(max_length=30, unique=True, editable=False)
    occurred_at = models.DateTimeField("When it happened")
    location = models.CharField(max_length=10, choices=Location.choices)
    location_detail = models.CharField("Where exactly", max_length=300, blank=True)
    description = models.TextField("What happened")
    categories = models.ManyToManyField(BreachCategory, related_name="incidents")
    people = models.ManyToManyField(Person, through="IncidentPerson", related_name="incidents")
    pupils_affected = models.TextField(blank=True)
    staff_affected = models.TextField(blank=True)
    reported_by = models.CharField(max_length=200, help_text="Who told the school.")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REPORTED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # The incident list (/incidents/) for one school, newest first, and its date filters.
            models.Index(fields=["school", "-occurred_at", "-id"], name="incident_school_newest"),
            # The incident list for trust-wide readers (every school), newest first.
            models.Index(fields=["-occurred_at", "-id"], name="incident_newest"),
            # The home page's work lists and the trust's per-school table: open cases by
            # school and stage, oldest in the stage first (overdue is computed from it).
            models.Index(fields=["school", "stage", "stage_changed_at"], name="incident_school_stage"),
            # The trust's home table (open cases by stage, then school), the trust-wide stage and overdue
            # filters of the incident list, and their counts: open cases found without reading closed ones.
            models.Index(fields=["stage", "school", "stage_changed_at"], name="incident_stage_school"),
            # "Incidents you logged" on an office member's home page.
            models.Index(fields=["logged_by", "stage"], name="incident_logged_by_stage"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="incident_stage_valid"),
            models.CheckConstraint(
                condition=~Q(stage=Stage.CLOSED) | ~Q(outcome=""), name="incident_closed_has_outcome"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incidents:incident_detail", args=[self.pk])

    def subjects(self):
        return [link.person for link in self.person_links.all() if link.involvement == Involvement.SUBJECT]


class Involvement(models.TextChoices):
    SUBJECT = "subject", "Subject of the incident"
    WITNESS = "witness", "Witness"


class IncidentPerson(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="person_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incident_links")
    involvement = models.CharField(max_length=10, choices=Involvement.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="incidentperson_unique")]
        indexes = [
            # Search by name (/incidents/?q=): the cases of every matching person, read from the index alone.
            models.Index(fields=["person", "incident"], name="incidentperson_person_case"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_involvement_display().lower()}) in {self.incident}"


class PersonSchoolManager(models.Manager):
    # Every pair the records imply: where each person was added, and the school of every case naming them.
    IMPLIED = (
        "SELECT id AS person_id, added_at_school_id AS school_id FROM incidents_person "
        "UNION SELECT l.person_id, i.school_id FROM incidents_incidentperson l "
        "JOIN incidents_incident i ON i.id = l.incident_id"
    )

    def add(self, person, school) -> None:
        self.get_or_create(person=person, school=school)

    def missing(self):
        """Pairs the records imply that the table lacks (conduct_audit reports them)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pairs.person_id, pairs.school_id FROM ({self.IMPLIED}) pairs "  # nosec B608
                           "LEFT JOIN incidents_personschool k ON k.person_id = pairs.person_id "
                           "AND k.school_id = pairs.school_id WHERE k.id IS NULL")
            return cursor.fetchall()

    def rebuild(self) -> int:
        """Add every missing pair in one statement (after a bulk load that bypassed the services)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO incidents_personschool (person_id, school_id) "  # nosec B608
                           f"SELECT pairs.person_id, pairs.school_id FROM ({self.IMPLIED}) pairs "
                           "WHERE NOT EXISTS (SELECT 1 FROM incidents_personschool k "
                           "WHERE k.person_id = pairs.person_id AND k.school_id = pairs.school_id)")
            return cursor.rowcount


class PersonSchool(models.Model):
    """The schools whose staff may see a person: where they were added and where they are named in a case.

    Derived from Person.added_at_school and IncidentPerson, and written by the
    same services, so the people list finds a school's people through one
    index instead of an OR across every case's links (conduct_audit checks it).
    Not case data of its own, so no history.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="school_links")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    objects = PersonSchoolManager()

    class Meta:
        # The unique key's index (school first) is the one the people list reads.
        constraints = [models.UniqueConstraint(fields=["school", "person"], name="personschool_unique")]

    def __str__(self):
        return f"{self.person} known at {self.school}"


def evidence_path(instance, filename):
    # A random name: the uploader's filename never reaches the file system.
    return f"evidence/{instance.incident.school_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name


class StatementKind(models.TextChoices):
    STAFF = "staff", "Member of staff"
    WITNESS = "witness", "Witness"
    PARENT = "parent", "The parent, carer or visitor"
    PUPIL = "pupil", "Pupil's version of events"


class Statement(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=10, choices=StatementKind.choices)
    given_by = models.CharField("Whose statement", max_length=200)
    taken_on = models.DateTimeField("When it was taken")
    others_present = models.CharField(max_length=300, blank=True)
    text = models.TextField("Statement")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            # The pupil's account must say who else was in the room.
            models.CheckConstraint(
                condition=~Q(kind="pupil") | ~Q(others_present=""),
                name="statement_pupil_has_others_present",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.incident}"


class NotPossibleReason(models.TextChoices):
    DECLINED = "declined", "The parent declined"
    UNREACHABLE = "unreachable", "The parent could not be reached"
    RISK = "risk", "Immediate risk to staff or pupils"


class ParentConversation(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="conversations")
    took_place = models.BooleanField()
    held_on = models.DateTimeField(null=True, blank=True)
    present = models.CharField("Who was present", max_length=300, blank=True)
    parent_said = models.TextField("What the parent said", blank=True)
    agreed = models.TextField("What was agreed", blank=True)
    not_possible_reason = models.CharField(max_length=12, choices=NotPossibleReason.choices, blank=True)
    not_possible_detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(took_place=True, held_on__isnull=False, not_possible_reason="") & ~Q(parent_said=""))
                | (Q(took_place=False) & ~Q(not_possible_reason="")),
                name="conversation_record_or_reason",
            )
        ]

    def __str__(self):
        return f"Parent conversation in {self.incident}"


class Injury(models.TextChoices):
    NONE = "none", "No physical injury"
    MINOR = "minor", "Minor injury (first aid)"
    OTHER = "other", "Other physical injury"


# RIDDOR (reg. 4 and 12): a work-related injury from violence that keeps a member of staff from their normal work
# for more than 7 days is reported to the HSE within 15 days of the incident; the employer records every injury
# that keeps them off for more than 3 days.
RIDDOR_REPORTABLE_AFTER_DAYS = 7
INJURY_RECORDED_AFTER_DAYS = 3
RIDDOR_REPORT_WITHIN_DAYS = 15
# The most days off one record holds: a year, so no value overflows a column or means nothing.
DAYS_OFF_MAX = 366


def riddor_due_on(incident, injury: str, days_off: int):
    """The day a RIDDOR report is due for this harm, or None when it is not reportable."""
    if injury == Injury.NONE or days_off <= RIDDOR_REPORTABLE_AFTER_DAYS:
        return None
    return timezone.localtime(incident.occurred_at).date() + timezone.timedelta(days=RIDDOR_REPORT_WITHIN_DAYS)


class StaffHarm(models.Model):
    """A member of staff harmed in the incident: what happened to them, their injury and days off work.

    `riddor_due_on` is stored (set by the services from the injury, the days off and the incident's date) so the
    head's work list finds the reports still due through one small partial index."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="staff_harmed")
    name = models.CharField("Name of the member of staff", max_length=200)
    staff_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="Their staff account")
    what_happened = models.TextField("What happened to them")
    injury = models.CharField(max_length=10, choices=Injury.choices)
    days_off = models.PositiveSmallIntegerField("Days off their normal work", default=0)
    riddor_due_on = models.DateField("RIDDOR report due by", null=True, blank=True)
    riddor_reported_on = models.DateField("Reported to the HSE on", null=True, blank=True)
    riddor_reference = models.CharField("HSE reference", max_length=40, blank=True)
    riddor_made_by = models.CharField("Who made the report", max_length=200, blank=True)
    riddor_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = "staff harmed"
        indexes = [
            models.Index(fields=["incident", "recorded_at"], name="staffharm_case"),
            # The head's "RIDDOR reports due": only the reports still to make, however many injuries the trust has.
            models.Index(fields=["riddor_due_on", "incident"], name="staffharm_riddor_due",
                         condition=Q(riddor_due_on__isnull=False, riddor_reported_on__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(days_off__lte=DAYS_OFF_MAX), name="staffharm_days_off_bounded"),
            models.CheckConstraint(condition=Q(injury__in=Injury.values), name="staffharm_injury_valid"),
            # Due exactly when reportable: a physical injury and more than 7 days off.
            models.CheckConstraint(
                condition=(Q(riddor_due_on__isnull=False) & ~Q(injury=Injury.NONE)
                           & Q(days_off__gt=RIDDOR_REPORTABLE_AFTER_DAYS))
                | (Q(riddor_due_on__isnull=True) & (Q(injury=Injury.NONE)
                                                    | Q(days_off__lte=RIDDOR_REPORTABLE_AFTER_DAYS))),
                name="staffharm_riddor_due_when_reportable",
            ),
            # A report is its date, the HSE's reference and who made it, all three or none.
            models.CheckConstraint(
                condition=Q(riddor_reported_on__isnull=True, riddor_reference="", riddor_made_by="")
                | (Q(riddor_reported_on__isnull=False) & ~Q(riddor_reference="") & ~Q(riddor_made_by="")),
                name="staffharm_riddor_report_complete",
            ),
        ]

    def __str__(self):
        return f"{self.name}, harmed in {self.incident}"

    @property
    def is_physical(self) -> bool:
        return self.injury != Injury.NONE

    @property
    def to_record(self) -> bool:
        """A physical injury over 3 days off: the employer keeps a record of it (RIDDOR reg. 12)."""
        return self.is_physical and self.days_off > INJURY_RECORDED_AFTER_DAYS

    @property
    def riddor_outstanding(self) -> bool:
        return self.riddor_due_on is not None and self.riddor_reported_on is None


class StaffSupport(models.Model):
    """Support offered to a member of staff harmed: what, and when, as a senior leader records it."""

    harm = models.ForeignKey(StaffHarm, on_delete=models.PROTECT, related_name="support")
    what = models.TextField("Support offered")
    offered_on = models.DateField("Offered on")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["offered_on", "pk"]
        verbose_name_plural = "staff support"
        indexes = [models.Index(fields=["harm", "offered_on"], name="staffsupport_harm")]

    def __str__(self):
        return f"Support offered to {self.harm.name}"


class CaseEvent(models.Model):
    """One line of the case timeline. Every service writes one."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"])]

    def __str__(self):
        return f"{page_date(self.at)} {self.at:%H:%M} {self.summary}"


# How long a file kept on the incident form waits to be used (incidents.services.staged_upload_purge).
STAGED_LIFETIME = timezone.timedelta(hours=6)
# How many one user may have kept at a time.
STAGED_MAX_FILES = 10


def staged_upload_path(instance, filename):
    # A random name, as evidence: the uploader's filename never reaches the file system.
    return f"staged/{instance.school_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StagedUpload(models.Model):
    """An evidence file chosen on the incident form while the form had an error (issue 25).

    Kept for its uploader and school only, for a few hours, so the file need not be chosen again; it becomes
    Evidence when the incident is logged, or is deleted (removed on the form, or stale)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=staged_upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner", "created_at"], name="staged_owner_created")]

    def __str__(self):
        return self.original_name
