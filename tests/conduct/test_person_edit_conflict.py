"""Two people edit the same person: the second save is refused with a clear
message, their input stays on the page, and saving again after checking works."""

import re
from html import unescape

from django.urls import reverse

from incidents.models import Person, PersonSchoolNote


def _notes(person):
    note = PersonSchoolNote.objects.filter(person=person).first()
    return note.notes if note else ""


def _form_data(html, **changes):
    data = {}
    for name in ("full_name", "phone", "email", "version"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or \
            re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
        data[name] = unescape(match.group(1)) if match else ""
    for name in ("address", "notes"):
        match = re.search(rf'<textarea name="{name}"[^>]*>\s*(.*?)</textarea>', html, re.S)
        data[name] = unescape(match.group(1)) if match else ""
    selected = re.search(r'<option value="([^"]+)"[^>]*selected', html)
    data["relationship"] = selected.group(1) if selected else "parent"
    data.update(changes)
    return data


def test_the_second_save_gets_the_conflict_and_keeps_its_text(build, client_as):
    person = build.person(name="Pat Parent")
    url = reverse("incidents:person_edit", args=[person.pk])
    office, head = client_as("office"), client_as("head")
    office_page = office.get(url).content.decode()
    head_page = head.get(url).content.decode()
    assert 'name="version"' in office_page and 'name="version"' in head_page

    first = office.post(url, _form_data(office_page, phone="01234 111111"))
    assert first.status_code == 302
    second_notes = "Asked to be contacted by email only, from the head's meeting on Monday."
    second = head.post(url, _form_data(head_page, notes=second_notes, phone="07000 222222"))
    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone else changed this person since you opened the page." in html
    assert "were not saved" in html
    # Their input is shown back, not lost.
    assert second_notes.replace("'", "&#x27;") in html
    assert "07000 222222" in html
    person.refresh_from_db()
    assert (person.phone, _notes(person), person.version) == ("01234 111111", "", 2)

    # The form now carries the current version: saving again on purpose works.
    third = head.post(url, _form_data(html))
    assert third.status_code == 302
    person.refresh_from_db()
    assert _notes(person) == second_notes and person.phone == "07000 222222" and person.version == 3
    assert Person.history.filter(id=person.pk).count() == 3
