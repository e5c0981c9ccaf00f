"""The ban register finds a banned person by name or by another name their school recorded, and tells
reception the other names they may hear (issue 21.3)."""

import pytest

from incidents.models import PersonAlias

REGISTER = "/bans/register/"


@pytest.fixture
def banned(ban_case, make_ban, personas, school):
    ban = make_ban(ban_case)
    PersonAlias.objects.create(person=ban.person, school=school, name="Stevie Greystone", note="Facebook",
                               added_by=personas["office"])
    return ban


@pytest.mark.parametrize("url", [REGISTER, "/bans/register/print/"])
def test_the_register_names_the_other_names_to_reception(banned, client_as, url):
    assert "Also known as Stevie Greystone" in client_as("office").get(url).content.decode()


def test_a_search_by_other_name_finds_the_banned_person(banned, client_as):
    page = client_as("office").get(REGISTER, {"q": "greystone"}).content.decode()
    assert banned.person.full_name in page
    page = client_as("office").get(REGISTER, {"q": "nobody-like-this"}).content.decode()
    assert banned.person.full_name not in page and "Nobody of that name is banned" in page


def test_a_search_by_name_finds_them_too(banned, client_as):
    assert banned.person.full_name in client_as("office").get(
        REGISTER, {"q": banned.person.full_name.split()[-1]}).content.decode()


def test_another_schools_staff_neither_see_the_ban_nor_the_other_name(banned, client_as):
    page = client_as("other_office").get(REGISTER, {"q": "greystone"}).content.decode()
    assert banned.person.full_name not in page and "Stevie Greystone" not in page


@pytest.mark.parametrize("value", ["x" * 5000, "\x00", "%", '"', "²"])
def test_odd_search_text_is_answered(banned, client_as, value):
    assert client_as("office").get(REGISTER, {"q": value}).status_code == 200
