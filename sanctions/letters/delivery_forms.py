"""Forms for sending issued letters: posted on a day, handed over by someone, a whole print pack posted."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conduct.params import BoundedDateField, BoundedDateTimeField, parse_id
from incidents.forms import DATETIME_FORMAT, DateInput, DateTimeInput, PlainForm

# The most letters in one print pack (about 400 sheets), and so in one "posted" form: the office posts a
# pack, then prints the next.
PACK_LIMIT = 200


class LetterPostedForm(PlainForm):
    posted_on = BoundedDateField(label="Posted on", widget=DateInput())


class LetterHandedForm(PlainForm):
    handed_over_by = forms.CharField(label="Handed over by", max_length=200,
                                     help_text="Who gave the letter to the person.")
    handed_at = BoundedDateTimeField(label="When", widget=DateTimeInput(),
                                     input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.initial.setdefault("handed_over_by", user.get_full_name() or user.get_username())
        self.initial.setdefault("handed_at", timezone.localtime().replace(second=0, microsecond=0))


class LetterIdsField(forms.Field):
    """Ids of letters, as hidden inputs: at most PACK_LIMIT, each a real id, read before any query."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else ([value] if value else [])
        if len(values) > PACK_LIMIT:
            raise ValidationError(f"At most {PACK_LIMIT} letters at once.")
        ids = [parse_id(v) if isinstance(v, str) else None for v in values]
        if None in ids:
            raise ValidationError("These are not letters.")
        return ids


class PackPostedForm(PlainForm):
    """"Mark all in this pack as posted": the school, the letters the office was shown, the day."""

    school = forms.CharField(widget=forms.HiddenInput, max_length=40)
    letters = LetterIdsField()
    # Drawn by hand beside the button (to_post.html), so it carries Bootstrap's class itself.
    posted_on = BoundedDateField(label="Posted on", widget=DateInput(attrs={"class": "form-control"}))

    def clean_school(self):
        school_id = parse_id(self.cleaned_data["school"])
        if school_id is None:
            raise ValidationError("Choose a school.")
        return school_id
