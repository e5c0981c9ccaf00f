"""The block list for the visitor sign-in system: one row per person banned now or within 14 days from this
school's site, only what reception needs, no live formula, each export in the access log."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from privacy.models import AccessLogEntry
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, ReviewOutcome, SiteBan

EXPORT = "/bans/register/export.csv"
HEADER = ["Full Name", "Aliases", "Emails", "Phones", "Reason", "Start", "End", "Site"]


def _rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def soon_ban(build, make_ban, deadline_passed, personas, today):
    ban = deadline_passed(make_ban(build.case(stage="decided", ban=True, person=build.person(name="Sue Soon")),
                                   route=BanRoute.NOTICE))
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Necessary.")
    SiteBan.objects.filter(pk=ban.pk).update(starts_on=today + timedelta(days=10))
    return ban


def test_the_address_is_fixed():
    assert reverse("sanctions:ban_register_export") == EXPORT


def test_one_row_per_person_banned_now_or_soon_with_a_neutral_reason(confirmed_ban, soon_ban, build, school,
                                                                     client_as, today):
    build.alias(confirmed_ban.person, "Pat P", school=school)
    response = client_as("office").get(EXPORT)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header == HEADER
    assert sorted(r[0] for r in rows) == ["Pat Parent", "Sue Soon"]
    pat = next(r for r in rows if r[0] == "Pat Parent")
    assert pat[1] == "Pat P" and pat[2] == "pat@example.com"
    assert pat[4] == "Site ban: contact the school office" and pat[7] == school.name
    assert pat[5] == confirmed_ban.starts_on.isoformat() and pat[6] == confirmed_ban.ends_on.isoformat()
    sue = next(r for r in rows if r[0] == "Sue Soon")
    assert sue[5] == (today + timedelta(days=10)).isoformat()
    text = response.content.decode()
    for secret in (confirmed_ban.reasons, confirmed_ban.pupil_arrangements, confirmed_ban.incident.reference):
        assert secret not in text


def test_a_lifted_ban_is_not_exported(confirmed_ban, client_as, personas):
    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    assert _rows(client_as("office").get(EXPORT)) == [HEADER]


def test_no_cell_is_a_live_formula(ban_case, make_ban, build, school, client_as):
    ban = make_ban(ban_case)
    ban.person.full_name = '=HYPERLINK("http://evil.example","Click")'
    ban.person.phone = "+44 7700 900123"
    ban.person.save()
    build.alias(ban.person, "@SUM(1+1)", school=school)
    [_, row] = _rows(client_as("office").get(EXPORT))
    assert row[0].startswith("'=") and row[1].startswith("'@") and row[3] == "'+44 7700 900123"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_each_export_is_in_the_access_log(confirmed_ban, client_as, personas, school):
    client_as("office").get(EXPORT)
    [entry] = AccessLogEntry.objects.filter(kind="register_export")
    assert (entry.user, entry.person_id, entry.school_id) == (personas["office"], confirmed_ban.person_id, school.pk)
    assert "1 people" in entry.detail


def test_another_schools_ban_is_not_in_this_schools_list(confirmed_ban, client_as):
    assert _rows(client_as("other_office").get(EXPORT)) == [HEADER]


def test_only_the_office_and_the_head_may_export(confirmed_ban, client_as):
    for persona in ("office", "head", "other_office", "other_head"):
        assert client_as(persona).get(EXPORT).status_code == 200, persona
    for persona in ("senior", "chair", "trust"):
        assert client_as(persona).get(EXPORT).status_code == 403, persona
    assert client_as("anonymous").get(EXPORT)["Location"].startswith("/accounts/login/")
    assert client_as("office").post(EXPORT).status_code == 405
    # One entry for each of the four exports made; none for the refused.
    assert AccessLogEntry.objects.filter(kind="register_export").count() == 4


def test_the_register_links_to_it_for_those_who_may(client_as):
    assert EXPORT in client_as("office").get("/bans/register/").content.decode()
    assert EXPORT not in client_as("senior").get("/bans/register/").content.decode()


def test_the_export_reads_a_constant_number_of_queries(ban_case, make_ban, build, client_as,
                                                       django_assert_max_num_queries):
    client = client_as("office")
    make_ban(ban_case)
    client.get(EXPORT)
    with django_assert_max_num_queries(12) as small:
        client.get(EXPORT)
    for n in range(5):
        person = build.person(name=f"Pat Parent {n}")
        make_ban(build.case(stage="decided", ban=True, person=person))
        build.alias(person, f"Patty {n}")
    with django_assert_max_num_queries(12) as large:
        assert len(_rows(client.get(EXPORT))) == 7
    assert len(large.captured_queries) == len(small.captured_queries)
