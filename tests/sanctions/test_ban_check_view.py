"""'Check a visitor' at reception: a name typed, the people banned now or soon from this site who may be them,
found by name or other name with a tolerance for spelling, with photo and what to do; every check logged."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from privacy.models import AccessLogEntry
from sanctions.models import SiteBan

CHECK = "/bans/register/check/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def banned(ban_case, make_ban, build, school):
    ban = make_ban(ban_case)
    ban.person.full_name = "Jason Reid"
    ban.person.save()
    ban.person.photo.save("p.png", ContentFile(PNG))
    build.alias(ban.person, "Jay Cole", school=school)
    return ban


def _found(response):
    return [r.ban.pk for r in response.context["results"]]


def test_the_address_is_fixed():
    assert reverse("sanctions:ban_check") == CHECK


def test_the_office_finds_a_banned_parent_by_their_alias_with_photo_and_what_to_do(banned, client_as, school,
                                                                                   personas):
    response = client_as("office").get(CHECK, {"name": "jay cole"})
    assert _found(response) == [banned.pk]
    page = response.content.decode()
    assert reverse("sanctions:register_photo", args=[banned.pk]) in page
    assert "Found as “Jay Cole”" in page and "Jason Reid" in page and school.site_contact in page
    assert "Do not confront them" in page
    entry = AccessLogEntry.objects.get(kind="visitor_check")
    assert (entry.user, entry.person_id, entry.school_id) == (personas["office"], banned.person_id, school.pk)
    assert "jay cole" in entry.detail and "Jason Reid" in entry.detail


@pytest.mark.parametrize("typed", ["Jason Reed", "jayson reid", "REID", "Mr Jason Reid", "Reid, Jason", "jas",
                                   "Jase Reed", "Jasón Reid", "jason  reid "])
def test_spelling_need_not_be_exact(banned, client_as, typed):
    assert _found(client_as("office").get(CHECK, {"name": typed})) == [banned.pk]


@pytest.mark.parametrize("typed", ["Sarah Jones", "Smith", "zz", "Jane Reeves", "Mason Price"])
def test_other_names_find_nobody_and_the_check_is_still_logged(banned, client_as, typed):
    response = client_as("office").get(CHECK, {"name": typed})
    assert _found(response) == [] and "Sign them in as usual" in response.content.decode()
    entry = AccessLogEntry.objects.get(kind="visitor_check")
    assert entry.person_id is None and typed in entry.detail and "matched nobody" in entry.detail


def test_a_ban_starting_soon_is_found_and_said_to_be_not_yet(banned, client_as, today):
    SiteBan.objects.filter(pk=banned.pk).update(starts_on=today + timedelta(days=5))
    response = client_as("office").get(CHECK, {"name": "Jason Reid"})
    assert _found(response) == [banned.pk] and "Not banned yet" in response.content.decode()


def test_a_lifted_or_ended_ban_is_not_a_match(banned, client_as, today):
    SiteBan.objects.filter(pk=banned.pk).update(starts_on=today - timedelta(days=20), ends_on=today - timedelta(days=1),
                                                review_on=today - timedelta(days=2))
    assert _found(client_as("office").get(CHECK, {"name": "Jason Reid"})) == []


def test_another_schools_office_finds_nobody_and_learns_nothing(banned, client_as):
    response = client_as("other_office").get(CHECK, {"name": "Jason Reid"})
    assert response.status_code == 200 and _found(response) == []
    page = response.content.decode()
    assert "Nobody banned from" in page and "Jay Cole" not in page
    assert reverse("sanctions:register_photo", args=[banned.pk]) not in page


def test_another_schools_alias_is_not_searched(banned, build, client_as, other_school):
    build.alias(banned.person, "Zebedee Quill", school=other_school)
    assert _found(client_as("office").get(CHECK, {"name": "Zebedee Quill"})) == []


def test_one_letter_asks_for_more_and_logs_nothing(banned, client_as):
    response = client_as("office").get(CHECK, {"name": "J"})
    assert "Type at least 2 letters" in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind="visitor_check").exists()


@pytest.mark.parametrize("typed", ["x" * 10000, "\x00Jason", "' OR 1=1 --", "%_%", "Ｊａｓｏｎ", "=cmd|' /C calc'!A0"])
def test_odd_input_is_answered_not_a_500(banned, client_as, typed):
    assert client_as("office").get(CHECK, {"name": typed}).status_code == 200


def test_who_may_check(banned, client_as):
    for persona in ("office", "senior", "head", "chair", "trust", "other_office"):
        assert client_as(persona).get(CHECK, {"name": "Jason"}).status_code == 200, persona
    for persona in ("anonymous", "inactive"):
        assert client_as(persona).get(CHECK, {"name": "Jason"})["Location"].startswith("/accounts/login/")


def test_the_office_home_page_has_the_check_box_and_the_register_too(client_as):
    assert f'action="{CHECK}"' in client_as("office").get("/").content.decode()
    assert f'action="{CHECK}"' in client_as("office").get("/bans/register/").content.decode()
    assert f'action="{CHECK}"' not in client_as("chair").get("/").content.decode()


def test_the_check_reads_a_constant_number_of_queries(ban_case, make_ban, build, client_as,
                                                      django_assert_max_num_queries):
    client = client_as("office")
    make_ban(ban_case)
    client.get(CHECK, {"name": "Pat"})
    with django_assert_max_num_queries(12) as small:
        client.get(CHECK, {"name": "Pat"})
    for n in range(5):
        person = build.person(name=f"Pat Parent {n}")
        make_ban(build.case(stage="decided", ban=True, person=person))
        build.alias(person, f"Patty {n}")
    with django_assert_max_num_queries(12) as large:
        response = client.get(CHECK, {"name": "Pat"})
    assert len(response.context["results"]) == 6
    assert len(large.captured_queries) == len(small.captured_queries)
