"""Bans where people look: the person page groups the person's bans (in force, starting later, past) with the
photo; the people list and the picker mark a person banned now."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import reverse

from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, ReviewOutcome

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _groups(client, person):
    response = client.get(reverse("incidents:person_detail", args=[person.pk]))
    [panel] = [p for p in response.context["panels"] if p["template"] == "sanctions/_person_letters_bans.html"]
    return response, {k: [b.pk for b in v] for k, v in panel["context"]["groups"].items()}


def test_a_ban_in_force_is_shown_with_the_photo(ban_case, make_ban, client_as):
    ban = make_ban(ban_case)
    ban.person.photo.save("p.png", ContentFile(PNG))
    response, groups = _groups(client_as("office"), ban.person)
    assert groups == {"in_force": [ban.pk], "upcoming": [], "past": []}
    page = response.content.decode()
    assert "Banned from the site today" in page
    assert reverse("sanctions:register_photo", args=[ban.pk]) in page


def test_a_notice_is_upcoming_and_a_lifted_ban_past(confirmed_ban, build, make_ban, client_as, personas):
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    notice = make_ban(build.case(stage="decided", ban=True, person=confirmed_ban.person), route=BanRoute.NOTICE)
    response, groups = _groups(client_as("head"), confirmed_ban.person)
    assert groups == {"in_force": [], "upcoming": [notice.pk], "past": [confirmed_ban.pk]}
    assert "Banned from the site today" not in response.content.decode()


def test_another_school_sees_none_of_the_bans(ban_case, make_ban, build, client_as, other_school, personas):
    ban = make_ban(ban_case)
    # The same adult named at the other school: that school's staff see their own record, not this school's ban.
    build.incident(school=other_school, person=ban.person)
    response, groups = _groups(client_as("other_office"), ban.person)
    assert groups == {"in_force": [], "upcoming": [], "past": []}
    assert reverse("sanctions:register_photo", args=[ban.pk]) not in response.content.decode()


def test_the_people_list_marks_a_person_banned_now(ban_case, make_ban, build, client_as, today):
    ban = make_ban(ban_case)
    other = build.person(name="Quinn Quiet")
    response = client_as("office").get(reverse("incidents:person_list"))
    assert response.context["banned"] == {ban.person_id}
    page = response.content.decode()
    assert page.count(">Banned</span>") == 1 and other.full_name in page


def test_the_people_list_does_not_mark_a_ban_at_another_school(ban_case, make_ban, build, client_as, other_school):
    ban = make_ban(ban_case)
    build.incident(school=other_school, person=ban.person)
    assert client_as("other_office").get(reverse("incidents:person_list")).context["banned"] == set()


def test_the_picker_marks_a_person_banned_now(ban_case, make_ban, client_as, today):
    ban = make_ban(ban_case)
    found = client_as("office").get(reverse("incidents:person_search"), {"q": "Pat Par"}).json()
    assert any(p["id"] == ban.person_id and p["banned"] for p in found["results"])
    from sanctions.models import SiteBan
    SiteBan.objects.filter(pk=ban.pk).update(starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1),
                                             review_on=today - timedelta(days=2))
    found = client_as("office").get(reverse("incidents:person_search"), {"q": "Pat Par"}).json()
    assert not any(p["banned"] for p in found["results"])
