"""A ban covers only the deciding school's site, and no register lists a ban its school's head cannot open."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanctions.bans.register import register_for
from sanctions.models import SiteBan


def _data(ban_case, sites, today):
    return {
        "person": ban_case.subjects()[0].pk, "route": "provisional", "sites": [s.pk for s in sites],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(),
        "pupil_arrangements": "Collected at the office by an aunt.", "reasons": "Staff were threatened.",
    }


def test_the_service_refuses_another_schools_site(ban_case, make_ban, school, other_school):
    with pytest.raises(ValidationError, match="only this school's site"):
        make_ban(ban_case, sites=[school, other_school])
    with pytest.raises(ValidationError, match="only this school's site"):
        make_ban(ban_case, sites=[other_school])
    assert not SiteBan.objects.exists()


def test_the_form_offers_only_the_schools_own_site(ban_case, client_as, school, other_school, today):
    url = reverse("sanctions:ban_new", args=[ban_case.pk])
    page = client_as("head").get(url).content.decode()
    assert school.name in page and other_school.name not in page
    response = client_as("head").post(url, _data(ban_case, [school, other_school], today))
    assert response.status_code == 200
    assert not SiteBan.objects.exists()
    for persona, status in {"senior": 403, "office": 403, "chair": 403, "other_head": 404}.items():
        assert client_as(persona).post(url, _data(ban_case, [school], today)).status_code == status
    assert not SiteBan.objects.exists()
    assert client_as("head").post(url, _data(ban_case, [school], today)).status_code == 302
    assert list(SiteBan.objects.get().sites.all()) == [school]


def test_no_register_lists_a_ban_its_schools_head_cannot_open(ban_case, make_ban, personas, school, other_school,
                                                             client_as):
    ban = make_ban(ban_case)
    ban.sites.add(other_school)  # written before the rule, behind the services' back
    assert client_as("other_head").get(reverse("sanctions:ban_detail", args=[ban.pk])).status_code == 404
    [register] = register_for(personas["other_head"])
    assert register.school == other_school and register.empty
    assert ban_case.subjects()[0].full_name not in client_as("other_office").get(
        reverse("sanctions:ban_register")).content.decode()
    assert client_as("other_office").get(reverse("sanctions:register_photo", args=[ban.pk])).status_code == 404
    # The deciding school's register still lists it.
    [own] = register_for(personas["office"])
    assert [b.pk for b in own.today] == [ban.pk]
