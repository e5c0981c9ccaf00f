"""Forms for the code of conduct given to a person and the people who collect their child (issue 26)."""

from django import forms

from conduct.params import BoundedDateField
from incidents.forms import DateInput, PlainForm
from incidents.models import CodeGivenHow


class CodeGivenForm(PlainForm):
    given_on = BoundedDateField(label="Given on", widget=DateInput())
    how = forms.ChoiceField(label="How it was given", choices=CodeGivenHow.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Note", required=False, max_length=300,
                           help_text="Optional, e.g. “the 2025 edition, with the starter pack”.")


class CollectorForm(PlainForm):
    name = forms.CharField(label="Name", max_length=200)
    relationship = forms.CharField(label="Relationship to the child", max_length=100,
                                   help_text="e.g. “grandmother”, “childminder”, “neighbour”.")
    told_on = BoundedDateField(
        label="Told of the code of conduct on", required=False, widget=DateInput(),
        help_text="The policy asks parents to make everyone who collects their child aware of it. "
                  "Leave empty until you know they were told.")
