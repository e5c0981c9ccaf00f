from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from conduct.models import School
from conduct.params import (  # noqa: F401 - IdChoiceField and IdMultipleChoiceField are used from here too
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    IdChoiceField,
    IdMultipleChoiceField,
)
from incidents.models import (
    DAYS_OFF_MAX,
    STAGED_MAX_FILES,
    BreachCategory,
    Injury,
    Involvement,
    Location,
    NotPossibleReason,
    Person,
    PersonAlias,
    PersonTitle,
    Pupil,
    Relationship,
    StagedUpload,
    StatementKind,
)
from incidents.uploads import ALLOWED, ALLOWED_DESCRIPTION, check_upload
from incidents.workflow import Stage
from incidents.worklists import section_choices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickSelect(forms.Select):
    """A select whose HTML is built in Python, the same as Django's templates would write it.
    The incident list draws about 50 options on every request, and Django includes a template
    per option: a quarter of the page's time went on its filter form (issue 9)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>', (
                (option["value"], _attrs(option["attrs"]), option["label"]) for option in options
            ))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attrs(widget["attrs"]),
                           format_html_join("", "{}", ((group,) for group in groups)))


def _attrs(attrs):
    # As django/forms/widgets/attrs.html: True is a bare attribute, False leaves it out.
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
        for name, value in attrs.items() if value is not False
    ))


def _now_to_the_minute():
    """A starting value for "when" on a record made as it happens (issue 25): now, in the school's time."""
    return timezone.localtime().replace(second=0, microsecond=0)


def _datetime_field(label, **kwargs):
    return BoundedDateTimeField(
        label=label, widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"], **kwargs
    )


class PlainForm(forms.Form):
    """Crispy lays the fields out; the template writes the form tag and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(sorted(ALLOWED))

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files



class KeptFilesField(IdMultipleChoiceField):
    """Files kept on the server for the user (StagedUpload ids): no more than can be kept, and only the user's own,
    not yet stale; anything else is an error, never a 500."""

    default_error_messages = {
        "invalid_choice": "A file chosen earlier is no longer kept (files are kept for a few hours): choose it again.",
        "invalid_pk_value": "A file chosen earlier is no longer kept: choose it again.",
    }

    def clean(self, value):
        if value and len(value) > STAGED_MAX_FILES:
            raise ValidationError(f"At most {STAGED_MAX_FILES} files can be kept.")
        return list(super().clean(value))


def _not_future(value):
    if value and value > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError("This cannot be in the future.")
    return value


class PersonForm(PlainForm):
    title = forms.ChoiceField(choices=[("", "None"), *PersonTitle.choices], required=False,
                              help_text="Letters open “Dear Ms Stone”; with no title, “Dear Lisa Stone”.")
    full_name = forms.CharField(max_length=200, label="Full name")
    salutation = forms.CharField(
        label="How letters greet them", max_length=120, required=False,
        help_text="Only if not title and surname, e.g. “Mr and Mrs Stone”.",
    )
    relationship = forms.ChoiceField(choices=Relationship.choices)
    address = forms.CharField(label="Address for letters", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            help_text="Your school's own notes: staff of other schools never see them.")
    pupil_names = forms.CharField(
        label="Pupils they are connected with",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One pupil a line: name, then a comma and the year group (e.g. “Sam Smith, Year 4”).",
    )
    alias_lines = forms.CharField(
        label="Other names they go by",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line: the name, then a comma and what it is (e.g. “Craig Smith, maiden name” or "
                  "“@craigh, Facebook: the account that posted”). Only staff of your school see them.",
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff with roles at several schools say which school adds the person; with one school there is no choice.
        if schools is not None and len(schools) > 1:
            self.fields = {"school": IdChoiceField(queryset=schools, label="School", empty_label="Choose the school",
                                                   help_text="The school whose staff may see and edit this person."),
                           **self.fields}

    def clean_pupil_names(self):
        pupils = []
        for line in self.cleaned_data["pupil_names"].splitlines():
            if not line.strip():
                continue
            name, _, year = line.partition(",")
            if len(name.strip()) > 200 or len(year.strip()) > 20:
                raise ValidationError("A pupil's name or year group is too long.")
            pupils.append({"name": name.strip(), "year_group": year.strip()})
        return pupils

    def clean_alias_lines(self):
        aliases = []
        for line in self.cleaned_data["alias_lines"].splitlines():
            name, _, note = line.partition(",")
            if not name.strip():
                continue
            if len(name.strip()) > 200 or len(note.strip()) > 200:
                raise ValidationError("A name or what it is is too long (200 characters at most).")
            aliases.append({"name": name.strip(), "note": note.strip()})
        return aliases


class PersonEditForm(PersonForm):
    """The person's shared details (for the school that added them) and one school's own part: its notes,
    the pupils it links and unlinks."""

    version = BoundedIntegerField(widget=forms.HiddenInput)
    unlink_pupils = IdMultipleChoiceField(queryset=Pupil.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple, label="Unlink these pupils")
    remove_aliases = IdMultipleChoiceField(queryset=PersonAlias.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple, label="Remove these other names")

    def __init__(self, *args, school, pupils, aliases=None, edits_details=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not edits_details:
            for name in ("title", "full_name", "salutation", "relationship", "address", "phone", "email"):
                del self.fields[name]
        self.fields["notes"].label = f"{school.name}'s notes"
        self.fields["notes"].help_text = "Only staff of this school see these notes."
        self.fields["pupil_names"].label = f"Link pupils at {school.name}"
        if pupils.exists():
            self.fields["unlink_pupils"].queryset = pupils
        else:
            del self.fields["unlink_pupils"]
        self.fields["alias_lines"].label = f"Add other names known at {school.name}"
        if aliases is not None and aliases.exists():
            self.fields["remove_aliases"].queryset = aliases
            self.fields["remove_aliases"].label_from_instance = _alias_label
        else:
            del self.fields["remove_aliases"]


def _alias_label(alias) -> str:
    return f"{alias.name} ({alias.note})" if alias.note else alias.name


class NewPersonForm(PlainForm):
    """A person added while logging an incident; a blank block is ignored."""

    title = forms.ChoiceField(choices=[("", "None"), *PersonTitle.choices], required=False)
    full_name = forms.CharField(max_length=200, required=False, label="Full name")
    relationship = forms.ChoiceField(choices=Relationship.choices, required=False)
    involvement = forms.ChoiceField(choices=Involvement.choices, required=False, initial=Involvement.SUBJECT)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    address = forms.CharField(label="Address for letters", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("full_name", "").strip():
            if not data.get("relationship"):
                self.add_error("relationship", "Say whether they are a parent, carer, visitor or other.")
            if not data.get("involvement"):
                self.add_error("involvement", "Say whether the incident is about them or they witnessed it.")
        elif any(data.get(f) for f in ("phone", "email", "address")):
            self.add_error("full_name", "Give the person's name, or clear the other details.")
        return data


# absolute_max: a forged TOTAL_FORMS must not make the server build a thousand forms.
NewPersonFormSet = forms.formset_factory(NewPersonForm, extra=2, max_num=5, absolute_max=5)


class IncidentForm(PlainForm):
    school = IdChoiceField(queryset=None, empty_label=None)
    occurred_at = _datetime_field("When it happened", validators=[_not_future])
    location = forms.ChoiceField(label="Where", choices=Location.choices, widget=forms.RadioSelect)
    location_detail = forms.CharField(
        label="Where exactly",
        max_length=300,
        required=False,
        help_text="e.g. the main gate",
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facts only, in the order they happened.",
    )
    categories = IdMultipleChoiceField(
        label="Breaches of the code of conduct",
        queryset=BreachCategory.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    # Chosen through the person picker (templates/incidents/_person_picker.html), never a list of everyone:
    # the ids are still checked against the people the user may see.
    subjects = IdMultipleChoiceField(
        label="People the incident is about (already known)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="By name, other name, email or phone.",
    )
    witnesses = IdMultipleChoiceField(
        label="Adult witnesses (already known)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="By name, other name, email or phone.",
    )
    pupils_affected = forms.CharField(label="Pupils affected", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    staff_affected = forms.CharField(label="Staff affected", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reported_by = forms.CharField(label="Who reported it", max_length=200)
    evidence = MultipleEvidenceField(label="Evidence files", help_text=f"Optional. {ALLOWED_DESCRIPTION}.")
    evidence_description = forms.CharField(label="What the files show", max_length=300, required=False)
    # Files chosen before the form came back with an error, kept on the server (issue 25); the template draws
    # them, each with its "Remove" box.
    kept_files = KeptFilesField(queryset=StagedUpload.objects.none(), required=False,
                                widget=forms.MultipleHiddenInput)
    remove_files = KeptFilesField(queryset=StagedUpload.objects.none(), required=False,
                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, schools, people, staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first().pk
            self.fields["school"].widget = forms.HiddenInput()
        for name in ("subjects", "witnesses"):
            self.fields[name].queryset = people
            # The picker draws the few people chosen or found; the widget must never list everyone.
            self.fields[name].widget.choices = []
        for name in ("kept_files", "remove_files"):
            self.fields[name].queryset = staged if staged is not None else StagedUpload.objects.none()
        # The usual answers, as a quick log needs them (issue 25): now, to the minute, in the school's time
        # (settings.TIME_ZONE), and the school's premises. Starting values only: a posted form is checked as ever.
        self.fields["occurred_at"].initial = _now_to_the_minute()
        self.fields["location"].initial = Location.PREMISES

    def clean(self):
        data = super().clean()
        school = data.get("school")
        if school and any(kept.school_id != school.pk for kept in data.get("kept_files", [])):
            self.add_error("kept_files", "A file kept earlier was chosen for another school: it is not attached "
                                         "here; choose it again.")
        return data

    def files_to_attach(self) -> list:
        """The kept files to attach, those ticked "Remove" left out (after is_valid)."""
        removed = {kept.pk for kept in self.cleaned_data.get("remove_files", [])}
        return [kept for kept in self.cleaned_data.get("kept_files", []) if kept.pk not in removed]


class IncidentFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=200,
        help_text="A person's name, the reference or words in the account",
    )
    category = IdChoiceField(queryset=BreachCategory.objects.all(), required=False, empty_label="Any category",
                             widget=QuickSelect)
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False, widget=QuickSelect)
    school = IdChoiceField(queryset=School.objects.none(), required=False, empty_label="Any school",
                           widget=QuickSelect)
    date_from = BoundedDateField(label="From", required=False, widget=DateInput())
    date_to = BoundedDateField(label="To", required=False, widget=DateInput())
    # Set by the home page's links: one work-list section, or the overdue cases.
    work = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    overdue = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Set by a person page's "see all" link: the incidents naming that person.
    person = IdChoiceField(queryset=Person.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, schools=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The list renders these fields without crispy (templates/_field.html): the classes crispy would add.
        for field in self.fields.values():
            if not field.widget.is_hidden:
                is_select = isinstance(field.widget, forms.Select)
                field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.fields["work"].choices = [("", ""), *section_choices()]
        if schools is not None:
            self.fields["school"].queryset = schools
        if people is not None:
            self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
        return data


class PersonMergeChoiceForm(forms.Form):
    """The other record to merge with: its number, among the people the user may see (anything else,
    a huge number or text included, is "not found" like a record that does not exist)."""

    other = IdChoiceField(queryset=Person.objects.none(), label="The other record's number",
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                        "class": "form-control"}),
                          error_messages={"invalid_choice": "No record with that number that you may see."})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = people


class PersonMergeForm(PersonMergeChoiceForm):
    """Which of the two records stays, and why they are one person."""

    keep = forms.ChoiceField(label="Which record stays", widget=forms.RadioSelect,
                             choices=[("this", "This record"), ("other", "The other record")])
    reason = forms.CharField(label="Why these are the same person", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].widget = forms.HiddenInput()


class EvidenceForm(PlainForm):
    files = MultipleEvidenceField(label="Evidence files", required=True, help_text=f"{ALLOWED_DESCRIPTION}.")
    description = forms.CharField(label="What the files show", max_length=300, required=False)


class StatementForm(PlainForm):
    kind = forms.ChoiceField(label="Whose account", choices=StatementKind.choices, widget=forms.RadioSelect)
    given_by = forms.CharField(label="Name of the person giving it", max_length=200)
    taken_on = _datetime_field("When it was taken", validators=[_not_future],
                               help_text="Now, unless you change it: give the time it was taken if earlier.")
    others_present = forms.CharField(
        label="Who else was present",
        max_length=300,
        required=False,
        help_text="Required for a pupil's account: the adults in the room.",
    )
    text = forms.CharField(label="The statement", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most statements are typed in as they are taken; one written down earlier has its time changed.
        self.fields["taken_on"].initial = _now_to_the_minute()

    def clean(self):
        data = super().clean()
        if data.get("kind") == StatementKind.PUPIL and not data.get("others_present", "").strip():
            self.add_error("others_present", "Say who else was present when the pupil gave their account.")
        return data


class ConversationForm(PlainForm):
    took_place = forms.TypedChoiceField(
        label="Did the conversation take place?",
        choices=[("yes", "Yes, we spoke to the parent"), ("no", "No, it was not possible")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    held_on = _datetime_field("When", required=False, validators=[_not_future],
                              help_text="Now, unless you change it: give the time you spoke if earlier.")
    present = forms.CharField(label="Who was present", max_length=300, required=False)
    parent_said = forms.CharField(
        label="What the parent said", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    agreed = forms.CharField(label="What was agreed", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    not_possible_reason = forms.ChoiceField(
        label="Why it could not happen", choices=[("", "—"), *NotPossibleReason.choices], required=False
    )
    not_possible_detail = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Recorded straight after the call or meeting, as a rule; an earlier one has its time changed.
        self.fields["held_on"].initial = _now_to_the_minute()

    def clean(self):
        data = super().clean()
        if data.get("took_place") is True:
            if not data.get("held_on"):
                self.add_error("held_on", "Give the date and time of the conversation.")
            if not data.get("parent_said", "").strip():
                self.add_error("parent_said", "Record what the parent said.")
        elif data.get("took_place") is False and not data.get("not_possible_reason"):
            self.add_error("not_possible_reason", "Say why the conversation could not happen.")
        return data


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(required=False, max_length=2000)


# Staff harmed and RIDDOR (issue 26) ----------------------------------------------------------------------------

# The longest account of what happened to a member of staff, or of the support offered: a page, not a book.
HARM_TEXT_MAX = 4000


def _not_future_day(value):
    if value and value > timezone.localdate():
        raise ValidationError("This cannot be in the future.")
    return value


def _days_off_field():
    return BoundedIntegerField(
        label="Days off their normal work", min_value=0, max_value=DAYS_OFF_MAX, initial=0,
        help_text="Count every day they could not do their normal work, weekends and holidays included "
                  "(RIDDOR counts them). Update it later as it becomes known.",
    )


class StaffHarmForm(PlainForm):
    name = forms.CharField(label="Name of the member of staff", max_length=200)
    staff_account = IdChoiceField(
        label="Their staff account (if they have one)", queryset=None, required=False,
        empty_label="No account, or not listed",
    )
    what_happened = forms.CharField(label="What happened to them", max_length=HARM_TEXT_MAX,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    injury = forms.ChoiceField(label="Injury", choices=Injury.choices, widget=forms.RadioSelect)
    days_off = _days_off_field()

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_account"].queryset = staff
        self.fields["staff_account"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class StaffHarmDaysForm(PlainForm):
    days_off = _days_off_field()
    # The record's version when the page was opened: a change saved since is not overwritten unseen.
    version = BoundedIntegerField(min_value=1, widget=forms.HiddenInput())


class StaffSupportForm(PlainForm):
    what = forms.CharField(label="Support offered", max_length=HARM_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="e.g. “Referred to occupational health”, “time with the counselling service”.")
    offered_on = BoundedDateField(label="Offered on", widget=DateInput(), validators=[_not_future_day])


class RiddorReportForm(PlainForm):
    reported_on = BoundedDateField(label="Reported to the HSE on", widget=DateInput(),
                                   validators=[_not_future_day])
    reference = forms.CharField(label="HSE reference", max_length=40,
                                help_text="The notification reference the HSE gave.")
    made_by = forms.CharField(label="Who made the report", max_length=200)
