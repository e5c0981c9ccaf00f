from django import forms
from django.utils import timezone

from conduct.params import BoundedDateField, BoundedIntegerField, IdChoiceField
from incidents.forms import DateInput, PlainForm
from privacy.models import (
    Channel,
    HoldReason,
    IdentityMethod,
    ItemDecision,
    PauseReason,
    RecordType,
    RedactionDecision,
)


def _date(label, **kwargs):
    return BoundedDateField(label=label, widget=DateInput(), **kwargs)


class RequestForm(PlainForm):
    school = IdChoiceField(label="Made to", queryset=None, required=False,
                           empty_label="The trust (handled by the data protection officer)")
    requester_name = forms.CharField(label="Name of the person asking", max_length=200)
    reply_to = forms.CharField(label="Where to send the answer", widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Postal address or email address, as the requester asked.")
    received_on = _date("Received on", help_text="The answer is due one calendar month after this day.")
    channel = forms.ChoiceField(label="How it arrived", choices=Channel.choices)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    identity_method = forms.ChoiceField(label="Identity check", choices=IdentityMethod.choices, required=False)
    identity_notes = forms.CharField(label="About the identity check", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, schools, allow_trust, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if not allow_trust:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("A request cannot arrive in the future.")
        return value


class IdentityForm(PlainForm):
    identity_method = forms.ChoiceField(label="How the identity was checked",
                                        choices=[c for c in IdentityMethod.choices if c[0]])
    identity_notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(PlainForm):
    extended_to = _date("New deadline", help_text="At most two further months after the first deadline.")
    reason = forms.CharField(label="Why more time is needed", widget=forms.Textarea(attrs={"rows": 3}))


class PauseForm(PlainForm):
    reason = forms.ChoiceField(label="Waiting for", choices=PauseReason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(label="What you asked the requester for, when and how", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    paused_from = _date("Clock stopped on", help_text="The day you asked: not before the request arrived, not in "
                                                      "the future.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [(value, label[0].upper() + label[1:]) for value, label in PauseReason.choices]


class ResumeForm(PlainForm):
    resumed_on = _date("Clock restarted on", help_text="The day the requester's answer arrived.")
    note = forms.CharField(label="What the requester sent", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RedactionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=RedactionDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ItemDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ItemDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(PlainForm):
    kind = forms.ChoiceField(label="Why the case is held", choices=HoldReason.choices)
    reason = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}))
    review_on = _date("Review the hold on")


class HoldReleaseForm(PlainForm):
    reason = forms.CharField(label="Why the hold is lifted", widget=forms.Textarea(attrs={"rows": 3}))


class PolicyForm(PlainForm):
    """The five retention periods, each with the reason for the choice."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for record_type in RecordType:
            months, reason = current[record_type.value]
            self.fields[f"{record_type.value}_months"] = BoundedIntegerField(
                label=f"{record_type.label}: months", min_value=1, max_value=1200, initial=months)
            self.fields[f"{record_type.value}_reason"] = forms.CharField(
                label="Reason for this period", initial=reason, widget=forms.Textarea(attrs={"rows": 2}))
