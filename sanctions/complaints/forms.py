from django import forms
from django.utils import timezone

from conduct.params import BoundedDateField
from incidents.forms import DateInput, PlainForm
from sanctions.complaints.services import FIRST_STAGES, SUMMARY_MAX
from sanctions.letters.forms import PARENT_READS
from sanctions.models import ComplaintOutcome
from sanctions.responses.forms import not_in_future


def _date(label, **kwargs):
    return BoundedDateField(label=label, widget=DateInput(), validators=[not_in_future], **kwargs)

def about_choices(incident) -> list:
    """The decisions and bans of this case a complaint may be about, as "decision-<id>" and "ban-<id>"."""
    choices = [(f"decision-{d.pk}", f"The head's decision of {timezone.localtime(d.decided_at):%-d %B %Y}: "
                                    f"{', '.join(d.action_labels()) or d.get_outcome_display()}")
               for d in incident.decisions.order_by("decided_at", "pk")]
    choices += [(f"ban-{b.pk}", f"The ban of {b.person.full_name} from the school site, "
                                f"{b.starts_on:%-d %B %Y} to {b.ends_on:%-d %B %Y} ({b.get_status_display()})")
                for b in incident.bans.select_related("person").order_by("starts_on", "pk")]
    return choices

class ComplaintForm(PlainForm):
    complainant = forms.TypedChoiceField(label="From whom", coerce=int)
    about = forms.ChoiceField(label="About which decision or ban")
    received_on = _date("Date received")
    stage = forms.ChoiceField(label="Stage", choices=[(s.value, s.label) for s in FIRST_STAGES],
                              help_text="Informal unless the complainant went straight to the formal stage.")
    summary = forms.CharField(label="What the complaint says", max_length=SUMMARY_MAX,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        people = incident.people.filter(incident_links__incident=incident).distinct().order_by("full_name", "pk")
        self.people = {p.pk: p for p in people}
        self.fields["complainant"].choices = [(p.pk, p.full_name) for p in people]
        self.fields["about"].choices = about_choices(incident)

    def clean(self):
        data = super().clean()
        data["complainant"] = self.people.get(data.get("complainant"))
        kind, _, pk = (data.pop("about", "") or "").partition("-")
        data["decision"] = self.incident.decisions.filter(pk=int(pk)).first() if kind == "decision" else None
        data["ban"] = self.incident.bans.filter(pk=int(pk)).first() if kind == "ban" else None
        return data

class OutcomeForm(PlainForm):
    outcome = forms.ChoiceField(label="Outcome", choices=ComplaintOutcome.choices, widget=forms.RadioSelect)
    outcome_on = _date("Date of the outcome")
    reasons = forms.CharField(label="Reasons for the outcome", max_length=SUMMARY_MAX,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=f"{PARENT_READS} Printed in the outcome letter; you can still change it "
                                        "in the letter's draft.")

class EscalateForm(PlainForm):
    requested_on = _date("Date the complainant asked to go on",
                         help_text="The next stage's deadline counts from this day.")
