from django import forms
from django.utils import timezone

from conduct.params import BoundedDateField
from incidents.forms import DateInput, PlainForm
from sanctions.models import ActionKind, ConsultationMethod, DecisionOutcome


class ProposalForm(PlainForm):
    actions = forms.MultipleChoiceField(
        label="Proposed response", choices=ActionKind.choices, widget=forms.CheckboxSelectMultiple
    )
    rationale = forms.CharField(
        label="Why this response is proportionate", widget=forms.Textarea(attrs={"rows": 5})
    )
    ban_justification = forms.CharField(
        label="Why a ban is justified now", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the person has had no earlier warning letter.",
    )

    def clean(self):
        data = super().clean()
        actions = data.get("actions") or []
        if ActionKind.NO_FURTHER_ACTION in actions and len(actions) > 1:
            self.add_error("actions", "“No further action” cannot be combined with other actions.")
        return data


def not_in_future(value):
    """A form validator: the date has happened (a consultation, a receipt), so it is not after today."""
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.")
    return value


class ConsultationForm(PlainForm):
    consulted_on = BoundedDateField(label="Date of the consultation", widget=DateInput(), validators=[not_in_future])
    # No default (issue 25): "In person" was pre-selected, and a Chair who phoned could sign off without noticing.
    method = forms.ChoiceField(
        label="How it took place", choices=ConsultationMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": "Say how the consultation took place."},
    )
    chair_view = forms.CharField(label="Your view", widget=forms.Textarea(attrs={"rows": 5}))
    signed_off = forms.TypedChoiceField(
        label="Do you sign off the proposed ban?",
        choices=[("yes", "Yes, I sign off the ban"), ("no", "No, I do not sign it off")],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    reasons_not_signed = forms.CharField(
        label="Reasons for not signing off", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("signed_off") is False and not data.get("reasons_not_signed", "").strip():
            self.add_error("reasons_not_signed", "Give your reasons for not signing off the ban.")
        return data


class DecisionForm(PlainForm):
    outcome = forms.ChoiceField(label="Your decision", choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    actions = forms.MultipleChoiceField(
        label="The response, if you change it", choices=ActionKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Approving as proposed adopts the proposal's rationale (issue 25): the head may add reasons of their own.
    reasons = forms.CharField(
        label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional when you approve as proposed: the decision then gives the proposal's reasons.",
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.CHANGED and not data.get("actions"):
            self.add_error("actions", "Choose the actions of the changed response.")
        if data.get("outcome") in (DecisionOutcome.CHANGED, DecisionOutcome.REJECTED) and not data.get(
                "reasons", "").strip():
            self.add_error("reasons", "Give the reasons for your decision.")
        return data


class ActionDoneForm(PlainForm):
    done_on = BoundedDateField(label="Date done", widget=DateInput(), validators=[not_in_future])
    reference = forms.CharField(label="Reference (e.g. police reference)", max_length=100, required=False)
    details = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(PlainForm):
    outcome = forms.CharField(label="Outcome of the case", widget=forms.Textarea(attrs={"rows": 4}))


class ReopenForm(PlainForm):
    reason = forms.CharField(label="Why the case is reopened", widget=forms.Textarea(attrs={"rows": 3}))
