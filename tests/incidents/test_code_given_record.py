"""/people/<id>/code-given/new/ and /people/code-given/<id>/remove/ (issue 26): when and how a school gave a
person the code of conduct. Office, leaders and the head of a school that knows the person record it; the
Chair and trust read it; another school never sees it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import CodeGivenHow, CodeOfConductGiven
from incidents.services import code_given_record, code_given_remove


def _url(person):
    return reverse("incidents:code_given_new", args=[person.pk])


def _record(personas, person, school, **kwargs):
    return code_given_record(actor=personas["office"], person=person, school=school,
                             **{"given_on": date(2025, 9, 3), "how": CodeGivenHow.ADMISSION_PACK, **kwargs})


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.person())) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_each_writer_records_it_with_their_name_in_the_history(build, client_as, school):
    person = build.person()
    for name in ("office", "senior", "head"):
        response = client_as(name).post(_url(person), {"given_on": "2025-09-03", "how": "letter", "note": name})
        assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    records = CodeOfConductGiven.objects.filter(person=person).order_by("pk")
    assert [(r.school_id, r.how, r.note, r.recorded_by.username) for r in records] == [
        (school.pk, "letter", n, n) for n in ("office", "senior", "head")]
    assert records[0].history.get().history_user.username == "office"


@pytest.mark.parametrize("name", ["chair", "trust"])
def test_readers_cannot_post_one(build, client_as, name):
    person = build.person()
    response = client_as(name).post(_url(person), {"given_on": "2025-09-03", "how": "letter"})
    assert response.status_code == 403 and not CodeOfConductGiven.objects.exists()


def test_the_service_refuses_a_school_that_does_not_know_the_person(build, personas, other_school):
    person = build.person()
    with pytest.raises(PermissionDenied):
        code_given_record(actor=personas["other_office"], person=person, school=other_school,
                          given_on=date(2025, 9, 3), how="email")


def test_a_second_school_records_its_own_once_it_knows_the_person(build, client_as, other_school):
    person = build.person()
    build.incident(school=other_school, person=person)
    assert client_as("other_office").post(_url(person), {"given_on": "2025-09-03", "how": "email"}).status_code == 302
    assert CodeOfConductGiven.objects.get().school == other_school


@pytest.mark.parametrize("given_on, error", [
    ("9999-12-31", "between"), ("0001-01-01", "between"), ("not a date", "valid date"), ("", "required")])
def test_a_wild_date_is_a_form_error(build, client_as, given_on, error):
    response = client_as("office").post(_url(build.person()), {"given_on": given_on, "how": "letter"})
    assert response.status_code == 200 and error in response.content.decode()
    assert not CodeOfConductGiven.objects.exists()


def test_a_date_in_the_future_is_refused(build, client_as):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as("office").post(_url(build.person()), {"given_on": tomorrow.isoformat(), "how": "letter"})
    assert response.status_code == 200 and "in the future" in response.content.decode()
    assert not CodeOfConductGiven.objects.exists()


def test_an_unknown_way_or_an_overlong_note_is_a_form_error(build, client_as):
    person = build.person()
    assert client_as("office").post(_url(person), {"given_on": "2025-09-03", "how": "pigeon"}).status_code == 200
    response = client_as("office").post(_url(person), {"given_on": "2025-09-03", "how": "letter", "note": "x" * 301})
    assert response.status_code == 200 and not CodeOfConductGiven.objects.exists()


def test_the_database_refuses_an_unknown_way(build, personas, school):
    person = build.person()
    with pytest.raises(ValidationError):
        _record(personas, person, school, how="pigeon")


def test_removing_an_entry(build, personas, school, statuses, client_as):
    person = build.person()
    url = reverse("incidents:code_given_remove", args=[_record(personas, person, school).pk])
    assert statuses(url, method="post", personas=["chair", "trust", "other_office", "other_head"]) == {
        "chair": 403, "trust": 403, "other_office": 404, "other_head": 404}
    assert statuses(url, personas=["office"]) == {"office": 405}
    assert client_as("senior").post(url).status_code == 302
    assert not CodeOfConductGiven.objects.exists()
    gone = CodeOfConductGiven.history.filter(history_type="-").get()
    assert gone.history_user.username == "senior" and gone.history_change_reason == "Code of conduct entry removed"


def test_a_school_cannot_remove_another_schools_entry_it_can_see(build, personas, school, other_school):
    """Both schools know the person; School Two's writer still may not remove School One's entry."""
    person = build.person()
    build.incident(school=other_school, person=person)
    record = _record(personas, person, school)
    with pytest.raises(PermissionDenied):
        code_given_remove(actor=personas["other_head"], record=record)
    assert CodeOfConductGiven.objects.filter(pk=record.pk).exists()
