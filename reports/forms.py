from datetime import date

from django import forms
from django.utils import timezone

from conduct.params import BoundedDateField, IdChoiceField
from incidents.forms import DateInput
from incidents.models import BreachCategory


def school_year_start(day: date) -> date:
    """The school year runs 1 September to 31 August."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


class ReportFilterForm(forms.Form):
    """The dashboard's and the board report's filters: one school (or all the user's), a period, a category.

    The period's fields are named `from` and `to`, as the board report's address has them."""

    school = IdChoiceField(queryset=None, required=False, empty_label="All your schools")
    category = IdChoiceField(queryset=BreachCategory.objects.all(), required=False, empty_label="Any category")

    def __init__(self, data=None, *, schools, today=None):
        today = today or timezone.localdate()
        data = data.copy() if data is not None else {}
        # An empty or missing date means the default period: the school year so far.
        if not data.get("from"):
            data["from"] = school_year_start(today).isoformat()
        if not data.get("to"):
            data["to"] = today.isoformat()
        super().__init__(data)
        self.fields["from"] = BoundedDateField(label="From", widget=DateInput())
        self.fields["to"] = BoundedDateField(label="To", widget=DateInput())
        self.order_fields(["school", "from", "to", "category"])
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", "The end date is before the start date.")
        return data
