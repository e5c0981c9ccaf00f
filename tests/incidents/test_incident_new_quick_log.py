"""/incidents/new/ as a quick log (issue 25): the usual answers filled in, the person picker first, the rest folded.

The time defaults to now in the school's time, to the minute, in the field's own format, and the place to the
school's premises; they are starting values only, and a posted form is checked as ever. "Someone new", the
witnesses and the evidence are folded in <details>, and open by themselves when they hold what was posted or
an error."""

import re
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory, Incident

URL = reverse("incidents:incident_new")


def _details(page):
    """{summary text: open?} for each folded block."""
    return {re.sub(r"\s+", " ", summary).strip(): "open" in attrs
            for attrs, summary in re.findall(r"<details([^>]*)>\s*<summary[^>]*>(.*?)</summary>", page, re.S)}


def test_the_time_defaults_to_now_and_the_place_to_the_premises(client_as, personas):
    before = timezone.localtime().replace(second=0, microsecond=0)
    response = client_as("office").get(URL)
    after = timezone.localtime().replace(second=0, microsecond=0)
    page = response.content.decode()
    value = re.search(r'<input type="datetime-local" name="occurred_at" value="([^"]*)"', page).group(1)
    shown = timezone.make_aware(datetime.strptime(value, "%Y-%m-%dT%H:%M"))
    assert before <= shown <= after
    radios = dict(re.findall(r'<input type="radio"[^>]*name="location" value="(\w+)"([^>]*)>', page))
    assert {value: "checked" in attrs for value, attrs in radios.items()} == {
        "premises": True, "off_site": False, "online": False}


def test_defaults_are_only_starting_values(client_as, build, school):
    person = build.person()
    when = (timezone.localtime() - timedelta(days=3)).replace(second=0, microsecond=0)
    response = client_as("office").post(URL, {
        "school": school.pk, "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "location": "online",
        "description": "Posted the head's address.", "subjects": [person.pk],
        "categories": [BreachCategory.objects.get(code="derogatory-social-media").pk], "reported_by": "A parent",
        "new-TOTAL_FORMS": "0", "new-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.location, timezone.localtime(incident.occurred_at)) == ("online", when)


def test_a_posted_form_is_checked_as_before(client_as, build, school):
    person = build.person()
    for occurred_at, location in (("", "premises"), ("yesterday", "premises"), ("9999-12-31T23:59", "premises"),
                                  ("2026-01-01T10:00", ""), ("2026-01-01T10:00", "the moon")):
        response = client_as("office").post(URL, {
            "school": school.pk, "occurred_at": occurred_at, "location": location, "description": "Shouted.",
            "subjects": [person.pk], "categories": [BreachCategory.objects.get(code="dogs").pk],
            "reported_by": "A parent", "new-TOTAL_FORMS": "0", "new-INITIAL_FORMS": "0",
        })
        assert response.status_code == 200, (occurred_at, location)
        errors = response.context["form"].errors
        assert "occurred_at" in errors or "location" in errors
    assert not Incident.objects.exists()


def test_the_person_picker_comes_first_and_the_extras_are_folded(client_as, personas):
    page = client_as("office").get(URL).content.decode()
    order = [page.index(text) for text in (
        'data-person-picker="subjects"', 'name="description"', 'name="occurred_at"', 'name="location"',
        'name="categories"', 'name="reported_by"', 'data-person-picker="witnesses"', 'name="evidence"',
    )]
    assert order == sorted(order)
    assert _details(page) == {"Someone new": False, "Witnesses, pupils and staff affected": False,
                              "Evidence files": False}
    assert "<script>" not in page.split("<main")[1]  # no inline script: the CSP forbids it


def test_a_folded_block_opens_when_it_holds_what_was_posted_or_an_error(client_as, build, school):
    person = build.person()
    client = client_as("office")
    base = {"school": school.pk, "occurred_at": "", "location": "premises", "description": "", "subjects": [person.pk],
            "reported_by": "", "new-TOTAL_FORMS": "2", "new-INITIAL_FORMS": "0"}
    # Nothing typed in the folded blocks: they stay folded, though the form has errors.
    assert set(_details(client.post(URL, base).content.decode()).values()) == {False}
    # An email with no name under "Someone new": that block opens, the others stay folded.
    opened = _details(client.post(URL, {**base, "new-1-email": "x@example.com"}).content.decode())
    assert opened == {"Someone new": True, "Witnesses, pupils and staff affected": False,
                      "Evidence files": False}
    opened = _details(client.post(URL, {**base, "staff_affected": "The caretaker"}).content.decode())
    assert opened["Witnesses, pupils and staff affected"] and not opened["Someone new"]
    opened = _details(client.post(URL, {**base, "evidence_description": "x" * 400}).content.decode())
    assert opened["Evidence files"] and not opened["Witnesses, pupils and staff affected"]
