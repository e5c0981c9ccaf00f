from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history import register
from simple_history.models import HistoricalRecords

from conduct.roles import TRUST_WIDE_ROLES, Role

# A deadline for representations shorter than a week is not a fair chance to answer;
# one longer than a term leaves a provisional ban in force without review.
REPRESENTATION_DAYS_MIN = 7
REPRESENTATION_DAYS_MAX = 90
# The DfE expects a ban to last no longer than is reasonable; no school may allow more than two years.
MAX_BAN_MONTHS_LIMIT = 24
# Authorisations under section 547 are recorded from when Conduct could have known of them to the
# end of the app's date window: a year outside is a typing slip, not a date anyone was authorised.
AUTHORISED_DATE_MIN = date(2000, 1, 1)
AUTHORISED_DATE_MAX = date(2100, 12, 31)
# The trust's complaints procedure gives each stage a number of calendar days for its outcome: a day is
# no time to investigate, and a quarter of a year is no answer to a parent waiting on a ban.
COMPLAINT_DAYS_MIN = 1
COMPLAINT_DAYS_MAX = 90


def _complaint_days(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default,
        validators=[MinValueValidator(COMPLAINT_DAYS_MIN), MaxValueValidator(COMPLAINT_DAYS_MAX)],
        help_text="Calendar days (weekends and holidays count) from the day the stage starts to its outcome.",
    )


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # The trust's complaints procedure (Independent School Standards, Part 7): calendar days per stage.
    # The defaults are the usual 10, 20 and 20 school days as calendar days, rounded up to whole weeks.
    complaint_informal_days = _complaint_days("Informal stage (calendar days)", 14)
    complaint_formal_days = _complaint_days("Formal stage (calendar days)", 28)
    complaint_panel_days = _complaint_days("Complaints panel (calendar days)", 28)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint_informal_days__gte=COMPLAINT_DAYS_MIN)
                & Q(complaint_informal_days__lte=COMPLAINT_DAYS_MAX)
                & Q(complaint_formal_days__gte=COMPLAINT_DAYS_MIN) & Q(complaint_formal_days__lte=COMPLAINT_DAYS_MAX)
                & Q(complaint_panel_days__gte=COMPLAINT_DAYS_MIN) & Q(complaint_panel_days__lte=COMPLAINT_DAYS_MAX),
                name="trust_complaint_days_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    def complaint_days(self, stage: str) -> int:
        """Calendar days the procedure gives a complaint's stage ("informal", "formal" or "panel")."""
        return {"informal": self.complaint_informal_days, "formal": self.complaint_formal_days,
                "panel": self.complaint_panel_days}[stage]


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    code = models.SlugField(
        max_length=10, unique=True, help_text="Short code used in case references, e.g. ASP."
    )
    name = models.CharField(max_length=200)
    address = models.TextField()
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    # Letters emailed by Conduct come from this address (Reply-To the office's email); empty: DEFAULT_FROM_EMAIL.
    letter_from_email = models.EmailField("Letters are emailed from", blank=True)
    head_name = models.CharField(max_length=200)
    head_title = models.CharField(max_length=200, default="Headteacher")
    chair_name = models.CharField("Chair of the Local Academy Board", max_length=200)
    logo = models.ImageField(upload_to="logos/", blank=True)
    representation_days = models.PositiveIntegerField(
        default=14,
        validators=[MinValueValidator(REPRESENTATION_DAYS_MIN), MaxValueValidator(REPRESENTATION_DAYS_MAX)],
        help_text="The fewest days a parent has to make representations about a ban.",
    )
    max_ban_months = models.PositiveSmallIntegerField(
        "Longest ban, in months",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BAN_MONTHS_LIMIT)],
        help_text="A ban lasts no longer than is reasonable: no ban at this school may run longer than this.",
    )
    site_contact = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who reception calls if a banned person arrives (name and number).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(representation_days__gte=REPRESENTATION_DAYS_MIN)
                & Q(representation_days__lte=REPRESENTATION_DAYS_MAX),
                name="school_representation_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_ban_months__gte=1) & Q(max_ban_months__lte=MAX_BAN_MONTHS_LIMIT),
                name="school_max_ban_months_in_range",
            ),
            # References are "<code>-<n>": codes that differ only by case would share one sequence.
            models.UniqueConstraint(
                Lower("code"), name="school_code_unique_ignoring_case",
                violation_error_message="A school already has this code (codes ignore upper and lower case).",
            ),
        ]

    def __str__(self):
        return self.name


class AuthorisedPerson(models.Model):
    """Someone the trust authorised under section 547 of the Education Act 1996 (academies: Schedule 20
    to the Education Act 2002) to remove a person causing a nuisance or disturbance from a school's premises."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="authorised_people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, help_text="Their post at the school, e.g. Site manager or Deputy head.")
    authorised_from = models.DateField()
    authorised_until = models.DateField(
        null=True, blank=True, help_text="The last day they were authorised; empty while the authorisation lasts.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorised_until__isnull=True) | Q(authorised_until__gte=F("authorised_from")),
                name="authorisedperson_until_not_before_from",
                violation_error_message="The authorisation cannot end before the day it began.",
            ),
        ]
        # Reception's question is "who may remove someone here today": the school's rows not yet ended.
        indexes = [models.Index(fields=["school", "authorised_until"], name="authorisedperson_current")]

    def __str__(self):
        return f"{self.name}, {self.role}"

    def clean(self):
        errors = {field: f"Enter their {field}." for field in ("name", "role")
                  if isinstance(getattr(self, field), str) and not getattr(self, field).strip()}
        for field in ("authorised_from", "authorised_until"):
            if problem := authorised_date_problem(getattr(self, field)):
                errors[field] = problem
        start, end = self.authorised_from, self.authorised_until
        if "authorised_until" not in errors and isinstance(start, date) and isinstance(end, date) and end < start:
            errors["authorised_until"] = "The authorisation cannot end before the day it began."
        if errors:
            raise ValidationError(errors)


def authorised_date_problem(day) -> str | None:
    """Why `day` cannot be a date of an authorisation under section 547, or None when it can."""
    if isinstance(day, date) and not AUTHORISED_DATE_MIN <= day <= AUTHORISED_DATE_MAX:
        return (f"Enter a date between {AUTHORISED_DATE_MIN.day} {AUTHORISED_DATE_MIN:%B %Y} "
                f"and {AUTHORISED_DATE_MAX.day} {AUTHORISED_DATE_MAX:%B %Y}.")
    return None


class StaffRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A trust-wide role spans every school; every other role belongs to one.
            models.CheckConstraint(
                condition=(Q(role__in=sorted(TRUST_WIDE_ROLES)) & Q(school__isnull=True))
                | (~Q(role__in=sorted(TRUST_WIDE_ROLES)) & Q(school__isnull=False)),
                name="staffrole_school_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"], name="staffrole_unique_per_school"
            ),
            # The constraint above cannot catch a repeated trust-wide role: NULL schools never compare equal.
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(school__isnull=True), name="staffrole_one_trust_role"
            ),
        ]

    def __str__(self):
        where = self.school.name if self.school_id else "all schools"
        return f"{self.user} – {self.get_role_display()} ({where})"



class NotificationFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "An email each time a case needs me"
    DAILY = "daily", "One email a day listing them (the daily digest)"


class NotificationPreference(models.Model):
    """How one member of staff hears that a case is waiting for them; without a row, an email each time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        max_length=10, choices=NotificationFrequency.choices, default=NotificationFrequency.IMMEDIATE
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=NotificationFrequency.values), name="notificationpreference_frequency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class QueuedNotification(models.Model):
    """A notification waiting for its user's daily digest: the case and what it needs, never anyone's name.

    The incident is named as a string, not imported: conduct imports nothing from the floors above.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    # Set by send_notification_digest in the transaction that sends the email, so a second run skips it.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The digest reads each user's unsent rows; sent ones are pruned after a month.
            models.Index(fields=["user", "created_at"], condition=Q(sent_at__isnull=True),
                         name="queuednotification_unsent"),
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False), name="queuednotification_sent"),
        ]

    def __str__(self):
        return f"{self.user}: case {self.incident_id} {self.what}"


# Staff accounts' history (invited, renamed, deactivated, their password set), as for every other
# record: who changed it and when. The password hash and the last login are not kept in it.
register(
    get_user_model(), app="conduct", table_name="conduct_historicaluser",
    excluded_fields=["password", "last_login"], custom_model_name="HistoricalUser",
)
