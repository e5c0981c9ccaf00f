"""The ban form offers the people the banned person named as collecting their child at the case's school
(issue 26): those ticked become the arrangements' sentence that the ban keeps and its letter prints."""

from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.services import collector_add
from sanctions.models import SiteBan


@pytest.fixture
def named(ban_case, personas, school):
    person = ban_case.subjects()[0]
    return [collector_add(actor=personas["office"], person=person, school=school, name=name, relationship=rel)
            for name, rel in (("Jean Parent", "grandmother"), ("Kim Minder", "childminder"))]


def _post(client, incident, school, today, **data):
    return client.post(reverse("sanctions:ban_new", args=[incident.pk]), {
        "person": incident.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(), "reasons": "Staff were threatened.", **data})


def test_the_form_offers_the_named_collectors_of_this_school_only(ban_case, named, build, personas, other_school,
                                                                   client_as):
    person = ban_case.subjects()[0]
    build.incident(school=other_school, person=person)
    collector_add(actor=personas["other_office"], person=person, school=other_school, name="Theirs Only",
                  relationship="uncle")
    form = client_as("head").get(reverse("sanctions:ban_new", args=[ban_case.pk])).context["form"]
    assert [c.name for c in form.fields["collectors"].queryset] == ["Jean Parent", "Kim Minder"]


def test_ticked_collectors_become_the_arrangements(ban_case, named, client_as, school, today):
    response = _post(client_as("head"), ban_case, school, today, collectors=[named[1].pk],
                     pupil_arrangements="Drop-off at the office door.")
    assert response.status_code == 302
    ban = SiteBan.objects.get()
    assert ban.pupil_arrangements == ("Drop-off at the office door.\n\n"
                                      "Your child may be collected by: Kim Minder (childminder).")
    assert "Kim Minder (childminder)" in ban.letters.get().pupil_arrangements


def test_ticking_alone_is_enough(ban_case, named, client_as, school, today):
    assert _post(client_as("head"), ban_case, school, today, collectors=[c.pk for c in named]).status_code == 302
    assert SiteBan.objects.get().pupil_arrangements == (
        "Your child may be collected by: Jean Parent (grandmother), Kim Minder (childminder).")


def test_neither_is_an_error(ban_case, named, client_as, school, today):
    response = _post(client_as("head"), ban_case, school, today)
    assert response.status_code == 200 and "or tick who may collect them" in response.content.decode()
    assert not SiteBan.objects.exists()


def test_a_forged_collector_id_is_a_form_error(ban_case, named, client_as, school, today):
    for forged in ("99999999", "x", str(2**70)):
        response = _post(client_as("head"), ban_case, school, today, collectors=[forged], pupil_arrangements="Office.")
        assert response.status_code == 200
    assert not SiteBan.objects.exists()


def test_without_collectors_the_field_is_not_shown_and_the_text_is_required(ban_case, client_as, school, today):
    form = client_as("head").get(reverse("sanctions:ban_new", args=[ban_case.pk])).context["form"]
    assert "collectors" not in form.fields
    assert _post(client_as("head"), ban_case, school, today).status_code == 200
    assert not SiteBan.objects.exists()
