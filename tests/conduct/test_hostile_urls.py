"""Every address, every query parameter and form field, hostile values, every kind of user: never a 500.

The walk resolves every pattern in the URLconf, fills its ids with a real
record of the demo (and with ids no record has, 0 and beyond 64 bits), and
sends each hostile value in every query parameter and form field the
application reads, as each kind of user. A 500 anywhere fails the test with
the address and the value. The examples from issue 19 are asserted one by one
at the end, with the answer each must get.
"""

import inspect
import io
from datetime import date
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from conduct.models import AuthorisedPerson, School, StaffRole, Trust
from conduct.roles import Role

HOSTILE = [
    "9999-12-31", "0001-01-01", "10000-01-01", "9999-12-31T23:59", "0001-01-01T00:00",
    "²", "abc", "99999999999999999999", "-1", "x" * 5000, "a\x00b",
]
BAD_IDS = [0, 99999999999999999999]
# The views that read query parameters by name (beyond their forms' fields).
QUERY_NAMES = ["page", "q", "school", "schools", "person", "nobody", "trust", "kind", "names", "answered", "next",
               "from", "to", "date_from", "date_to", "category", "stage", "work", "overdue", "role", "upto"]
# Files are answered as a whole: one hostile request each is enough (they read no parameters).
FILES = {"case_summary", "letter_preview_pdf", "letter_download", "letter_large_print", "pack_pdf", "pack_zip",
         "evidence_download", "register_photo", "representation_attachment", "request_preview", "access_export"}
# The head reaches every page of a school's cases, the trust reader the reports across schools, the DPO
# the privacy pages, the administrator the set-up pages: each page's parameters are read by one of them.
PERSONAS = ["head", "trust", "dpo", "admin"]
# An invalid school or person in the same query would refuse the form before its dates are read:
# dates are also sent on their own.
DATE_WORDS = ("date", "from", "to", "_on", "_at", "_by")


def _patterns(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), ":".join(n for n in (namespace, entry.name or "") if n)


def _app_patterns():
    # Django's admin is for superusers only and tested by Django; every pattern of ours is walked.
    return [(route, name) for route, name in _patterns() if not route.startswith("admin/")]


def _form_field_names() -> list:
    import conduct.setup.forms
    import incidents.forms
    import privacy.forms
    import reports.forms
    import sanctions.bans.forms
    import sanctions.letters.delivery_forms
    import sanctions.letters.forms
    import sanctions.responses.forms

    names = {"from", "to", "payload", "to_stage", "note", "version"}
    for module in (conduct.setup.forms, incidents.forms, privacy.forms, reports.forms, sanctions.responses.forms,
                   sanctions.letters.forms, sanctions.letters.delivery_forms, sanctions.bans.forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm):
                names.update(cls.base_fields)
    from privacy.models import RecordType
    names.update(f"{t.value}_{part}" for t in RecordType for part in ("months", "reason"))
    return sorted(names)


# The demo, seeded once for the module ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", "--force", stdout=io.StringIO())
        users = get_user_model().objects
        for username, role in (("dpo-hostile", Role.DPO), ("admin-hostile", Role.ADMIN)):
            user = users.create_user(username=username, email=f"{username}@example.org")
            StaffRole.objects.create(user=user, role=role, school=None)
        # The demo records nobody under section 547: one person at the first school, for the address of ending it.
        AuthorisedPerson.objects.create(school=School.objects.order_by("pk").first(), name="Sam Site",
                                        role="Site manager", authorised_from=date(2026, 9, 1), added_by=user)
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def world(demo, settings, db):
    settings.MEDIA_ROOT = demo
    users = get_user_model().objects
    accounts = {"head": "head", "trust": "trust", "dpo": "dpo-hostile", "admin": "admin-hostile"}
    return {persona: users.get(username=username) for persona, username in accounts.items()}


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _real_id(route: str):
    from incidents.models import Evidence, Incident, Person
    from privacy.models import Hold, PackItem, Redaction, SubjectAccessRequest
    from sanctions.models import DecisionAction, Letter, Representation, SiteBan

    models = [("incidents/", Incident), ("people/", Person), ("evidence/", Evidence), ("actions/", DecisionAction),
              ("letters/", Letter), ("bans/", SiteBan), ("representations/", Representation),
              ("privacy/requests/", SubjectAccessRequest), ("privacy/records/", PackItem),
              ("privacy/redactions/", Redaction), ("privacy/people/", Person),
              ("privacy/cases/", Incident), ("privacy/holds/", Hold), ("setup/schools/", School),
              ("setup/staff/", get_user_model()), ("setup/roles/", StaffRole)]
    for prefix, model in models:
        if route.startswith(prefix):
            return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    return 1


def _addresses(route: str) -> list:
    """The route with a real id and with hostile ones; routes with no id as they are."""
    if "<uidb64>" in route:
        return [route.replace("<uidb64>", "MQ").replace("<token>", "x" * 300), route.replace(
            "<uidb64>", "²").replace("<token>", "abc")]
    if "<int:pk>" not in route:
        return ["/" + route]
    # A record inside a school (the second id) is the demo's one, at the school _real_id names.
    real = route.replace("<int:ap_pk>", str(AuthorisedPerson.objects.order_by("pk").values_list("pk", flat=True)[0]))
    return ["/" + real.replace("<int:pk>", str(_real_id(route)))] + [
        "/" + route.replace("<int:ap_pk>", str(pk)).replace("<int:pk>", str(pk)) for pk in BAD_IDS]


def _dates(names):
    return [name for name in names if any(word in name for word in DATE_WORDS)]


def _check(response, where):
    assert response.status_code < 500, f"{response.status_code} at {where}"


@pytest.mark.parametrize(("route", "name"), _app_patterns(), ids=[name or route for route, name in _app_patterns()])
def test_no_address_answers_500_to_hostile_values(world, route, name):
    fields = _form_field_names()
    values = HOSTILE[5:6] if name.split(":")[-1] in FILES else HOSTILE
    for number, address in enumerate(_addresses(route)):
        for persona in ["anonymous", *PERSONAS]:
            client = _client(world.get(persona))
            # The anonymous visitor is sent to log in before anything is read; an address with an id
            # no record has is refused before its parameters are (each value is tried on the real one).
            tried = values[:1] if persona == "anonymous" or number else values
            for value in tried:
                for names in (QUERY_NAMES, _dates(QUERY_NAMES)):
                    query = urlencode(dict.fromkeys(names, value))
                    _check(client.get(f"{address}?{query}"), f"GET {address}?{query[:60]} as {persona}")
                for names in (fields, _dates(fields)):
                    _check(client.post(address, dict.fromkeys(names, value)),
                           f"POST {address} {value[:20]!r} in {len(names)} fields as {persona}")
                if name == "logout":
                    client = _client(world.get(persona))


# The examples from issue 19, each with its answer ---------------------------------------------------------


def _get(world, persona, url):
    return _client(world[persona]).get(url)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "10000-01-01", "²"])
def test_the_incident_list_refuses_a_date_out_of_range_as_a_form_error(world, value):
    response = _get(world, "head", f"/incidents/?date_to={value}")
    assert response.status_code == 200
    expected = "Enter a date between 1 January 1900 and 31 December 2100." if value[0] in "09" else \
        "Enter a valid date."
    assert expected in response.content.decode()


@pytest.mark.parametrize("path", ["/reports/", "/reports/board.pdf", "/reports/incidents.csv"])
@pytest.mark.parametrize(("start", "end"), [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-01"),
                                            ("0001-01-01", "9999-12-31")])
def test_reports_refuse_dates_out_of_range(world, path, start, end):
    school = School.objects.get(code="asp").pk
    response = _get(world, "head", f"{path}?school={school}&from={start}&to={end}&date_from={start}&date_to={end}")
    if path == "/reports/":
        assert response.status_code == 200
        assert "Enter a date between" in response.content.decode()
    else:
        assert response.status_code == 400
        assert "date between" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999", "-1"])
def test_a_subject_access_request_for_a_person_who_is_no_id_is_a_400(world, value):
    url = f"/privacy/requests/new/?person={value}"
    assert _get(world, "dpo", url).status_code == 400
    response = _client(world["dpo"]).post("/privacy/requests/new/", {"person": value})
    assert response.status_code == 400
    assert "person" in response.content.decode()


def test_the_retention_schedule_for_a_trust_that_is_no_id_is_a_400(world):
    response = _get(world, "dpo", "/privacy/retention/schedule/?trust=²")
    assert response.status_code == 400
    assert _get(world, "dpo", f"/privacy/retention/schedule/?trust={Trust.objects.get().pk}").status_code == 200


def test_inviting_staff_with_a_school_that_is_no_id_shows_the_form(world):
    response = _get(world, "admin", "/setup/staff/invite/?school=²")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


@pytest.mark.parametrize("path", ["/setup/staff/invite/", "/setup/staff/{pk}/"])
def test_a_school_beyond_64_bits_is_a_form_error(world, path):
    url = path.format(pk=get_user_model().objects.get(username="office").pk)
    response = _client(world["admin"]).post(url, {"name": "Ann Other", "email": "ann@example.org",
                                                  "role": Role.OFFICE, "schools": "99999999999999999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not get_user_model().objects.filter(email="ann@example.org").exists()


def test_the_head_s_ban_form_bounds_its_dates(world):
    from incidents.models import Incident

    case = Incident.objects.filter(school__code="asp").order_by("pk").first()
    response = _client(world["head"]).post(f"/incidents/{case.pk}/bans/new/", {
        "starts_on": "9999-12-31", "ends_on": "9999-12-31", "review_on": "9999-12-31",
        "representations_by": "9999-12-31"})
    assert response.status_code < 500
