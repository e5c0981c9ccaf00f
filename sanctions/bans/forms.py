from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conduct.models import MAX_BAN_MONTHS_LIMIT
from conduct.params import BoundedDateField, BoundedDateTimeField
from incidents.forms import DATETIME_FORMAT, DateInput, DateTimeInput, IdChoiceField, IdMultipleChoiceField, PlainForm
from incidents.models import BreachCategory, Collector
from incidents.uploads import ALLOWED, ALLOWED_DESCRIPTION, check_upload
from sanctions.bans.services import earliest_representations_by, latest_end
from sanctions.letters.forms import PARENT_READS
from sanctions.models import BanRoute, ReviewOutcome
from sanctions.responses.forms import ConsultationForm, not_in_future

# No ban date lies further ahead than the longest ban any school may set, plus a year for a notice's
# deadline and start: a year 9999 typed in stops here, before date sums overflow anywhere downstream.
REACH_MONTHS = MAX_BAN_MONTHS_LIMIT + 12


def _within_reach(value):
    if value > latest_end(timezone.localdate(), REACH_MONTHS):
        raise ValidationError(f"Give a date within the next {REACH_MONTHS // 12} years.")


def _date(label, **kwargs):
    return BoundedDateField(label=label, widget=DateInput(), validators=[_within_reach, *kwargs.pop("validators", [])],
                           **kwargs)


class BanForm(PlainForm):
    person = IdChoiceField(label="Who is banned", queryset=None, empty_label=None)
    route = forms.ChoiceField(
        label="Route", choices=BanRoute.choices, widget=forms.RadioSelect,
        help_text="A provisional ban is in force at once; a notice of intended ban takes effect only if "
                  "you confirm it after the deadline for representations.",
    )
    sites = IdMultipleChoiceField(
        label="Sites the ban covers", queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text="A ban covers this school's site only. If the person should be kept off another school's "
                  "site too, that school records it on a case of its own, with its head and its Chair.",
        error_messages={"invalid_choice": "A ban covers this school's site only: another school bans from its own "
                                          "site on its own case."},
    )
    starts_on = _date("Starts on", help_text="Today for a provisional ban; after the deadline for a notice.")
    ends_on = _date("Ends on")
    review_on = _date("Review by")
    representations_by = _date("Representations by")
    pupil_arrangements = forms.CharField(
        label="Arrangements for the pupil's drop-off and collection", widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000, help_text=f"{PARENT_READS} Write to the parent: “Your child can be dropped off…”.",
    )
    collectors = IdMultipleChoiceField(
        label="Who may collect the pupil instead", queryset=Collector.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"{PARENT_READS} The people the banned person named as collecting their child, as this school "
                  "recorded them: those ticked are added to the arrangements as “Your child may be collected by …”.",
    )
    account_for_parent = forms.CharField(
        label="What happened, as the letter tells it", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        help_text=f"{PARENT_READS} The office's account was written for staff: say what happened in neutral terms, "
                  "as the parent will read it. Left empty, the letter asks for it before it can be issued.",
    )
    reasons = forms.CharField(
        label="Reasons for the ban", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000,
        help_text=f"{PARENT_READS} You can still change the letter's wording in its draft.",
    )

    def __init__(self, *args, people, sites, collectors=None, account_written=True, **kwargs):
        """`account_written`: the case's account for letters is written for the parent already, so the form
        does not ask for it again (a second ban, or one after a warning letter)."""
        super().__init__(*args, **kwargs)
        if account_written:
            del self.fields["account_for_parent"]
        self.fields["person"].queryset = people
        self.fields["sites"].queryset = sites
        if collectors is not None and collectors.exists():
            self.fields["collectors"].queryset = collectors.select_related("person")
            self.fields["collectors"].label_from_instance = collector_label
            # Ticking collectors is enough to say how the pupil is collected.
            self.fields["pupil_arrangements"].required = False
        else:
            del self.fields["collectors"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The ban cannot end before it starts.")
        # The ban keeps the arrangements as text (its letter prints them): the collectors ticked become a sentence.
        chosen = data.pop("collectors", None) or []
        if data.get("person") and any(c.person_id != data["person"].pk for c in chosen):
            self.add_error("collectors", "Tick only people named by the person banned.")
        elif chosen:
            named = ", ".join(str(c) for c in chosen)
            data["pupil_arrangements"] = "\n\n".join(
                text for text in ((data.get("pupil_arrangements") or "").strip(),
                                  f"Your child may be collected by: {named}.") if text)
        said = (data.get("pupil_arrangements") or "").strip()
        if "collectors" in self.fields and not said and not self.errors:
            self.add_error("pupil_arrangements", "Say how the pupil will be dropped off and collected, "
                                                 "or tick who may collect them.")
        return data

    @staticmethod
    def initial_for(school):
        today = timezone.localdate()
        ends_on = min(today + timedelta(days=182), latest_end(today, school.max_ban_months))
        return {
            "route": BanRoute.PROVISIONAL, "sites": [school.pk], "starts_on": today,
            "ends_on": ends_on, "review_on": min(today + timedelta(days=90), ends_on),
            "representations_by": earliest_representations_by(school, today),
        }


def collector_label(collector) -> str:
    return f"{collector} – named by {collector.person.full_name}"


class RepresentationForm(PlainForm):
    received_on = _date("Date received", validators=[not_in_future])
    summary = forms.CharField(label="What the parent said", widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label="Their letter or email (optional)", required=False,
                                 help_text=f"{ALLOWED_DESCRIPTION}.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].widget.attrs["accept"] = ",".join(sorted(ALLOWED))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload


class ConfirmForm(PlainForm):
    reasons = forms.CharField(
        label="Your reasons for confirming the ban", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=f"{PARENT_READS} Printed under “My reasons”, after the representations you considered; "
                  "you can still change it in the letter's draft.",
    )


class WithdrawForm(PlainForm):
    reasons = forms.CharField(
        label="Your reasons for withdrawing the ban", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        help_text=f"{PARENT_READS} Printed as the letter's own paragraphs; you can still change it in the draft.",
    )


class ReviewForm(PlainForm):
    outcome = forms.ChoiceField(label="Outcome of the review", choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000,
        help_text=f"{PARENT_READS} Printed under “My reasons” in the review's letter; you can still change it in "
                  "the draft.",
    )
    new_ends_on = _date("New end date", required=False, help_text="When shortening or extending the ban.")
    next_review_on = _date("Next review by", required=False,
                           help_text="Needed to continue the ban; defaults to the new end date otherwise.")

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome in (ReviewOutcome.SHORTEN, ReviewOutcome.EXTEND) and not data.get("new_ends_on"):
            self.add_error("new_ends_on", "Give the new end date.")
        if outcome == ReviewOutcome.CONTINUE and not data.get("next_review_on"):
            self.add_error("next_review_on", "Give the date of the next review.")
        return data


class ExtensionConsultationForm(ConsultationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_off"].label = "Do you sign off extending the ban?"
        self.fields["signed_off"].choices = [("yes", "Yes, I sign off the extension"),
                                             ("no", "No, I do not sign it off")]


# What a breach of a ban usually is: coming onto the premises at all.
BREACH_DEFAULT_CATEGORY = "inappropriate-behaviour"


class BreachForm(PlainForm):
    occurred_at = BoundedDateTimeField(label="When", widget=DateTimeInput(),
                                       input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="Where", max_length=200, help_text="For example: the main gate, the playground.")
    what_happened = forms.CharField(
        label="What happened", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Facts only: what they said and did, who asked them to leave, and whether they left.",
    )
    categories = IdMultipleChoiceField(
        label="Breaches of the code of conduct", queryset=BreachCategory.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    police_called = forms.BooleanField(label="The police were called", required=False)
    police_reference = forms.CharField(label="Police reference", max_length=100, required=False)

    @classmethod
    def initial_values(cls) -> dict:
        now = timezone.localtime().replace(second=0, microsecond=0)
        default = BreachCategory.objects.filter(code=BREACH_DEFAULT_CATEGORY, active=True).values_list("pk", flat=True)
        return {"occurred_at": now, "categories": list(default)}

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise ValidationError("This cannot be in the future.")
        return value
