"""Forms for drafting, editing and issuing letters."""

from django import forms

from conduct.params import BoundedIntegerField
from incidents.forms import IdChoiceField, PlainForm
from sanctions.models import LetterKind, SentBy


class LetterNewForm(PlainForm):
    kind = forms.ChoiceField(label="Kind of letter", choices=LetterKind.choices)
    person = IdChoiceField(label="To", queryset=None, empty_label=None)
    ban = IdChoiceField(label="About the ban", queryset=None, required=False,
                                 help_text="Needed for ban letters only.")

    def __init__(self, *args, people, bans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["ban"].queryset = bans
        self.fields["ban"].label_from_instance = lambda b: f"{b.person} – {b.get_status_display()}"


class LetterEditForm(PlainForm):
    facts = forms.CharField(
        label="What happened, in neutral terms", widget=forms.Textarea(attrs={"rows": 7}),
        help_text="The facts only: date, place, what was said and done. Leave a blank line between paragraphs.",
    )
    specific_paragraphs = forms.CharField(
        label="Paragraphs of your own", required=False, widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Printed after the code of conduct's wording. Leave empty if the standard text is enough.",
    )
    version = BoundedIntegerField(widget=forms.HiddenInput)


class LetterIssueForm(PlainForm):
    sent_by = forms.ChoiceField(label="How the letter is sent", choices=SentBy.choices, widget=forms.RadioSelect)
