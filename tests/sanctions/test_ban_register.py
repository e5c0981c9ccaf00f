"""The ban register at reception: who is banned from this site today, and what to do; nothing else."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, ReviewOutcome, SiteBan

REGISTER = "/bans/register/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_address_is_fixed():
    assert reverse("sanctions:ban_register") == REGISTER


@pytest.mark.parametrize("url", [REGISTER, "/bans/register/print/"])
def test_every_staff_role_sees_a_register_and_outsiders_are_sent_to_log_in(url, client_as):
    for persona in ("office", "senior", "head", "chair", "trust", "other_office", "other_head"):
        assert client_as(persona).get(url).status_code == 200, persona
    for persona in ("anonymous", "inactive"):
        assert client_as(persona).get(url)["Location"].startswith("/accounts/login/")


def test_a_provisional_ban_shows_with_what_to_do_and_nothing_of_the_case(ban_case, make_ban, client_as, school):
    ban = make_ban(ban_case)
    page = client_as("office").get(REGISTER).content.decode()
    assert ban.person.full_name in page
    assert school.site_contact in page
    assert f"{ban.starts_on.day} {ban.starts_on:%b %Y}" in page and f"{ban.ends_on.day} {ban.ends_on:%b %Y}" in page
    for secret in (ban_case.description, ban_case.reference, ban.pupil_arrangements, ban.reasons):
        assert secret not in page


def test_a_ban_naming_another_schools_site_is_only_on_its_own_register(ban_case, make_ban, client_as,
                                                                      other_school):
    ban = make_ban(ban_case)
    ban.sites.add(other_school)  # as could be written before a ban covered only its school's site
    assert ban.person.full_name not in client_as("other_office").get(REGISTER).content.decode()
    assert ban.person.full_name in client_as("office").get(REGISTER).content.decode()
    # The other school's head cannot open it, so its register does not list it.
    assert client_as("other_head").get(reverse("sanctions:ban_detail", args=[ban.pk])).status_code == 404


def test_a_ban_for_one_site_stays_off_the_other_register(ban_case, make_ban, client_as):
    ban = make_ban(ban_case)
    assert ban.person.full_name not in client_as("other_office").get(REGISTER).content.decode()


def test_a_notice_is_not_yet_on_the_register(ban_case, make_ban, client_as):
    ban = make_ban(ban_case, route=BanRoute.NOTICE)
    assert ban.person.full_name not in client_as("office").get(REGISTER).content.decode()


def test_lifting_the_ban_moves_it_from_today_to_may_return(confirmed_ban, client_as, personas, today):
    [register] = client_as("office").get(REGISTER).context["registers"]
    assert [b.pk for b in register.today] == [confirmed_ban.pk] and not register.ended
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    response = client_as("office").get(REGISTER)
    [register] = response.context["registers"]
    assert not register.today and [b.pk for b in register.ended] == [confirmed_ban.pk]
    assert register.ended[0].may_return_from == today
    assert "Nobody is banned from this site today." in response.content.decode()


def test_a_ban_past_its_end_may_return_the_next_day_and_leaves_the_register_after_a_month(
        ban_case, make_ban, client_as, today):
    ban = make_ban(ban_case)
    SiteBan.objects.filter(pk=ban.pk).update(ends_on=today - timedelta(days=1), review_on=today - timedelta(days=1),
                                             starts_on=today - timedelta(days=10))
    [register] = client_as("office").get(REGISTER).context["registers"]
    assert not register.today and [(b.pk, b.may_return_from) for b in register.ended] == [(ban.pk, today)]
    SiteBan.objects.filter(pk=ban.pk).update(ends_on=today - timedelta(days=31), review_on=today - timedelta(days=31),
                                             starts_on=today - timedelta(days=40))
    assert ban.person.full_name not in client_as("office").get(REGISTER).content.decode()


def test_the_photo_is_shown_to_the_covered_sites_only(ban_case, make_ban, client_as, school):
    ban = make_ban(ban_case)
    ban.person.photo.save("p.png", ContentFile(PNG))
    url = reverse("sanctions:register_photo", args=[ban.pk])
    assert url in client_as("office").get(REGISTER).content.decode()
    response = client_as("office").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client_as("other_office").get(url).status_code == 404
    assert client_as("anonymous").get(url)["Location"].startswith("/accounts/login/")


def test_the_print_view_lists_the_site_and_instructions(ban_case, make_ban, client_as, school):
    ban = make_ban(ban_case)
    page = client_as("office").get("/bans/register/print/").content.decode()
    assert "Ban register: " + school.name in page and ban.person.full_name in page and school.site_contact in page
    assert "style=" not in page and "<script>" not in page


def test_the_navigation_links_to_the_register(client_as):
    assert REGISTER in client_as("office").get("/").content.decode()


def test_trust_readers_see_one_school_at_a_time_with_a_chooser(ban_case, make_ban, client_as, school, other_school):
    """A trust's register of every school at once would grow with the trust: one school, chosen."""
    ban = make_ban(ban_case)
    trust = client_as("trust")
    first = trust.get(REGISTER)
    shown = [r.school for r in first.context["registers"]]
    assert len(shown) == 1
    choices = dict((s.pk, n) for s, n in first.context["choices"])
    assert choices == {school.pk: 1, other_school.pk: 0}
    chosen = trust.get(REGISTER, {"school": other_school.pk})
    assert [r.school for r in chosen.context["registers"]] == [other_school]
    assert ban.person.full_name not in chosen.content.decode()
    assert ban.person.full_name in trust.get(REGISTER, {"school": school.pk}).content.decode()
    assert trust.get(REGISTER, {"school": "9" * 30}).status_code == 200  # nonsense: the first school


def test_staff_see_every_register_of_their_own_schools_and_no_chooser(client_as):
    page = client_as("office").get(REGISTER)
    assert page.context["choices"] == [] and len(page.context["registers"]) == 1


def test_someone_at_two_schools_sees_each_ban_under_the_sites_it_covers(
        ban_case, make_ban, build, client_as, personas, school, other_school):
    from conduct.models import StaffRole
    from conduct.roles import Role

    StaffRole.objects.create(user=personas["office"], role=Role.OFFICE, school=other_school)
    here_only = make_ban(ban_case)
    both = make_ban(build.case(stage=Stage.DECIDED, ban=True, person=build.person(name="Bea Both")))
    both.sites.add(other_school)  # written before the rule: listed under its own school's site only
    rows = {r.school.pk: [b.person.full_name for b in r.today]
            for r in client_as("office").get(REGISTER).context["registers"]}
    assert rows == {school.pk: sorted([here_only.person.full_name, "Bea Both"]), other_school.pk: []}
