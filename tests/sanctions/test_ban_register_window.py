"""The register from past to future: banned today, starting within 14 days, and may return (30 days)."""

from datetime import timedelta

import pytest

from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, ReviewOutcome, SiteBan

REGISTER = "/bans/register/"


def _register(client):
    [register] = client.get(REGISTER).context["registers"]
    return register


def _ids(bans):
    return [b.pk for b in bans]


@pytest.fixture
def starting_in(ban_case, make_ban, deadline_passed, personas, today):
    """A notice of intended ban confirmed after the deadline, then (time passing) `days` from its start."""
    def make(days):
        ban = deadline_passed(make_ban(ban_case, route=BanRoute.NOTICE))
        ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Necessary.")
        SiteBan.objects.filter(pk=ban.pk).update(starts_on=today + timedelta(days=days))
        ban.refresh_from_db()
        return ban
    return make


def test_a_confirmed_ban_starting_in_ten_days_is_starting_soon_and_not_banned_today(starting_in, client_as,
                                                                                    today):
    ban = starting_in(10)
    register = _register(client_as("office"))
    assert _ids(register.soon) == [ban.pk] and not register.today and not register.ended
    page = client_as("office").get(REGISTER).content.decode()
    assert f"{(today + timedelta(days=10)).day} {today + timedelta(days=10):%b %Y}" in page
    assert "Starting within the next 14 days" in page


def test_a_ban_starting_in_fifteen_days_is_not_yet_on_the_register(starting_in, client_as):
    starting_in(15)
    register = _register(client_as("office"))
    assert register.empty


def test_an_unconfirmed_notice_is_not_starting_soon(ban_case, make_ban, client_as, today):
    ban = make_ban(ban_case, route=BanRoute.NOTICE)
    SiteBan.objects.filter(pk=ban.pk).update(starts_on=today + timedelta(days=5),
                                             representations_by=today + timedelta(days=4))
    assert _register(client_as("office")).empty


def test_a_ban_lifted_yesterday_may_return_from_yesterday_and_is_not_banned_today(confirmed_ban, client_as,
                                                                                  personas, today):
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(starts_on=today - timedelta(days=20))
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT,
                            reasons="Apology accepted.", reviewed_on=today - timedelta(days=1))
    register = _register(client_as("office"))
    assert not register.today and not register.soon
    assert [(b.pk, b.may_return_from) for b in register.ended] == [(confirmed_ban.pk, today - timedelta(days=1))]
    assert "Lifted on review" in client_as("office").get(REGISTER).content.decode()


def test_a_provisional_ban_withdrawn_today_may_return_today(ban_case, make_ban, client_as, personas, today):
    ban = make_ban(ban_case)
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Representations accepted.")
    ban.refresh_from_db()
    assert ban.lifted_on == today
    assert [(b.pk, b.may_return_from) for b in _register(client_as("office")).ended] == [(ban.pk, today)]


def test_a_notice_withdrawn_before_it_began_never_stopped_anyone(ban_case, make_ban, client_as, personas):
    ban = make_ban(ban_case, route=BanRoute.NOTICE)
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Representations accepted.")
    ban.refresh_from_db()
    assert ban.lifted_on is None and _register(client_as("office")).empty


def test_a_lift_a_month_ago_has_left_the_register(confirmed_ban, client_as, personas, today):
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(lifted_on=today - timedelta(days=31))
    assert _register(client_as("office")).empty


def test_someone_banned_again_is_not_listed_as_may_return(confirmed_ban, build, make_ban, client_as, personas):
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    again = make_ban(build.case(stage="decided", ban=True, person=confirmed_ban.person))
    register = _register(client_as("office"))
    assert _ids(register.today) == [again.pk] and register.ended == []


def test_searching_by_an_alias_covers_every_section(starting_in, build, client_as, school):
    soon = starting_in(10)
    build.alias(soon.person, "Jay Reed", school=school)
    response = client_as("office").get(REGISTER, {"q": "jay re"})
    [register] = response.context["registers"]
    assert _ids(register.soon) == [soon.pk] and register.today == []
    assert "Jay Reed" in response.content.decode()


def test_each_entry_names_its_sites_and_what_to_do(ban_case, make_ban, client_as, school):
    make_ban(ban_case)
    school.site_contact = ""
    school.save()
    page = client_as("office").get(REGISTER).content.decode()
    assert f"Call the Head of School, {school.head_name}, on {school.phone}." in page
    assert "Do not confront them" in page and "999" in page
    [register] = client_as("office").get(REGISTER).context["registers"]
    assert register.today[0].site_names == [school.name]


def test_the_print_view_has_all_three_sections(starting_in, client_as):
    ban = starting_in(3)
    page = client_as("office").get("/bans/register/print/").content.decode()
    assert "Banned today" in page and "Starting within the next 14 days" in page and "May return" in page
    assert ban.person.full_name in page and "Report a breach" not in page
