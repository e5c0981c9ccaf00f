"""The trust administrator's page of who may remove a person from a school (section 547), and ending one."""

import logging
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conduct import services
from conduct.models import AuthorisedPerson

SEPT = date(2026, 9, 1)


def _url(school):
    return reverse("setup:authorised_people", args=[school.pk])


def _end_url(person):
    return reverse("setup:authorised_person_end", args=[person.school_id, person.pk])


def _data(**overrides):
    return {"name": "Sam Site", "role": "Site manager", "authorised_from": "2026-09-01", **overrides}


@pytest.fixture
def sam(trust_admin, school):
    return services.authorised_person_add(actor=trust_admin, school=school, name="Sam Site", role="Site manager",
                                          authorised_from=SEPT)


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, school, admin_client, superuser_client):
    found = statuses(_url(school))
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert statuses(_url(school), "post", _data()) == found
    assert not AuthorisedPerson.objects.exists()
    assert admin_client.get(_url(school)).status_code == 200
    assert superuser_client.get(_url(school)).status_code == 200


def test_only_the_administrator_ends_an_authorisation(statuses, sam, admin_client):
    found = statuses(_end_url(sam), "post", {"authorised_until": "2027-07-20"})
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    sam.refresh_from_db()
    assert sam.authorised_until is None
    assert admin_client.get(_end_url(sam)).status_code == 405


def test_the_school_list_and_edit_page_link_to_it(admin_client, school):
    link = f'href="{_url(school)}"'
    assert link in admin_client.get(reverse("setup:index")).content.decode()
    assert link in admin_client.get(reverse("setup:school_edit", args=[school.pk])).content.decode()


def test_the_administrator_adds_a_person(admin_client, trust_admin, school, caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    response = admin_client.post(_url(school), _data())
    assert response.status_code == 302 and response["Location"] == _url(school)
    person = AuthorisedPerson.objects.get()
    assert (person.school, person.name, person.role, person.authorised_from, person.added_by) == (
        school, "Sam Site", "Site manager", SEPT, trust_admin)
    assert person.history.get().history_user == trust_admin
    assert any(r.getMessage().startswith("authorised_person_added") for r in caplog.records)
    page = admin_client.get(_url(school)).content.decode()
    assert "Sam Site" in page and "Site manager" in page and "1 Sep 2026" in page


def test_the_page_lists_current_and_past_and_shows_what_reception_sees(admin_client, trust_admin, school,
                                                                        other_school):
    today = timezone.localdate()
    for name, start in (("Cat Current", today - timedelta(days=30)), ("Fay Future", today + timedelta(days=10)),
                        ("Pat Past", today - timedelta(days=60))):
        services.authorised_person_add(actor=trust_admin, school=school, name=name, role="Deputy head",
                                       authorised_from=start)
    services.authorised_person_end(actor=trust_admin, person=AuthorisedPerson.objects.get(name="Pat Past"),
                                   authorised_until=today - timedelta(days=1))
    services.authorised_person_add(actor=trust_admin, school=other_school, name="Olly Elsewhere", role="Caretaker",
                                   authorised_from=today)
    page = admin_client.get(_url(school)).content.decode()
    assert page.index("Cat Current") < page.index("Fay Future") < page.index("Pat Past")
    assert "Olly Elsewhere" not in page
    reception = page[page.index("What reception sees today"):page.index("Authorisations, current and past")]
    assert "Cat Current, Deputy head" in reception
    assert "Fay Future" not in reception and "Pat Past" not in reception
    # An ended authorisation has no form to end it again.
    assert page.count('name="authorised_until"') == 2


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": "x" * 10_000}, "Ensure this value has at most 200 characters"),
    ({"role": "r" * 10_000}, "Ensure this value has at most 200 characters"),
    ({"name": "   "}, "This field is required."),
    ({"authorised_from": "1999-12-31"}, "Enter a date between 1 January 2000 and 31 December 2100."),
    ({"authorised_from": "2101-01-01"}, "Enter a date between 1 January 2000 and 31 December 2100."),
    ({"authorised_from": "9999-12-31"}, "Enter a date between 1 January 2000 and 31 December 2100."),
    ({"authorised_from": "10000-01-01"}, "Enter a valid date."),
    ({"authorised_from": "²"}, "Enter a valid date."),
    ({"name": "a\x00b"}, "Null characters are not allowed."),
])
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(admin_client, school, overrides, message):
    data = _data(role="Deputy head of <b>Key Stage 2</b>") | overrides
    response = admin_client.post(_url(school), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'value="Deputy head of &lt;b&gt;Key Stage 2&lt;/b&gt;"' in page or "r" * 200 in page
    if "name" not in overrides:
        assert 'value="Sam Site"' in page
    assert not AuthorisedPerson.objects.exists()


def test_the_administrator_ends_an_authorisation(admin_client, trust_admin, sam):
    response = admin_client.post(_end_url(sam), {"authorised_until": "2027-07-20"})
    assert response.status_code == 302 and response["Location"] == _url(sam.school)
    sam.refresh_from_db()
    assert sam.authorised_until == date(2027, 7, 20)
    latest = sam.history.first()
    assert (latest.history_user, latest.history_change_reason) == (trust_admin, "Authorisation under section 547 ended")


def test_the_end_date_defaults_to_today(admin_client, sam):
    page = admin_client.get(_url(sam.school)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert f'action="{_end_url(sam)}"' in page


@pytest.mark.parametrize(("value", "message"), [
    ("2026-08-31", "The authorisation cannot end before the day it began."),
    ("2101-01-01", "Enter a date between 1 January 2000 and 31 December 2100."),
    ("9999-12-31", "Enter a date between 1 January 2000 and 31 December 2100."),
    ("not a date", "Enter a valid date."),
    ("", "This field is required."),
    ("x" * 10_000, "Enter a valid date."),
])
def test_a_bad_end_date_shows_the_form_again_with_what_was_typed(admin_client, sam, value, message):
    response = admin_client.post(_end_url(sam), {"authorised_until": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    if value and len(value) < 100:
        assert f'value="{value}"' in page
    sam.refresh_from_db()
    assert sam.authorised_until is None


def test_ending_twice_says_so(admin_client, sam):
    admin_client.post(_end_url(sam), {"authorised_until": "2027-07-20"})
    response = admin_client.post(_end_url(sam), {"authorised_until": "2027-07-21"})
    assert response.status_code == 200
    assert "This authorisation ended on 20 Jul 2027 already." in response.content.decode()
    sam.refresh_from_db()
    assert sam.authorised_until == date(2027, 7, 20)


def test_a_person_is_ended_only_through_their_own_school(admin_client, sam, other_school):
    url = reverse("setup:authorised_person_end", args=[other_school.pk, sam.pk])
    assert admin_client.post(url, {"authorised_until": "2027-07-20"}).status_code == 404
    for url in (reverse("setup:authorised_person_end", args=[sam.school_id, 99999999]),
                reverse("setup:authorised_people", args=[99999999])):
        assert admin_client.post(url, {"authorised_until": "2027-07-20"}).status_code == 404


def test_the_page_s_queries_do_not_grow_with_the_list(admin_client, trust_admin, school):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(_url(school)).status_code == 200
        return len(queries)

    services.authorised_person_add(actor=trust_admin, school=school, name="A", role="R", authorised_from=SEPT)
    count()  # the session's first request reads more than the page does
    few = count()
    for n in range(5):
        services.authorised_person_add(actor=trust_admin, school=school, name=f"P{n}", role="R", authorised_from=SEPT)
    assert count() == few
