"""QuickSelect writes the same select as Django's templates, only faster."""

import re

import pytest
from django import forms

from incidents.forms import QuickSelect

CHOICES = [
    ("", "Any stage"),
    ("reported", "Reported"),
    ("a&b", 'Tom & "Jerry" <script>'),
    (7, "Seven"),
]

GROUPED = [
    ("", "Any"),
    ("Kind <1>", [("x", "X & co"), ("y", "Y")]),
    ("z", "Zed"),
]


def _tags(html):
    # Django's templates put line breaks between options; the browser ignores them.
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "reported", "a&b", 7, "7", "y", "not-a-choice"])
@pytest.mark.parametrize("attrs", [
    {},
    {"class": "form-select is-invalid", "aria-invalid": "true"},
    {"class": "form-select", "disabled": True, "required": False, "data-x": 'say "hi" & <bye>'},
])
def test_it_writes_what_django_writes(choices, value, attrs):
    django_select = forms.Select(attrs=attrs, choices=choices)
    quick_select = QuickSelect(attrs=attrs, choices=choices)
    expected = django_select.render("stage", value, attrs={"id": "id_stage"})
    assert _tags(quick_select.render("stage", value, attrs={"id": "id_stage"})) == _tags(expected)


def test_a_chosen_value_is_selected_and_text_is_escaped():
    html = str(QuickSelect(choices=CHOICES).render("stage", "a&b"))
    assert '<option value="a&amp;b" selected>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</option>' in html
    assert html.count(" selected") == 1


@pytest.mark.django_db
def test_the_incident_filter_form_uses_it_for_its_lists():
    from incidents.forms import IncidentFilterForm

    form = IncidentFilterForm()
    for name in ("category", "stage", "school"):
        assert isinstance(form.fields[name].widget, QuickSelect), name
