"""Every address, every query parameter and form field, hostile values, every kind of user: never a 500.

The walk resolves every pattern in the URLconf, fills its ids with a real
record of the demo (and with ids no record has, 0 and beyond 64 bits), and
sends each hostile value in every query parameter and form field the
application reads, as each kind of user. A 500 anywhere fails the test with
the address and the value. The examples from issue 19 are asserted one by one
at the end, with the answer each must get.
"""

import inspect
from datetime import date
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from conduct.models import AuthorisedPerson, School, StaffRole, Trust
from conduct.roles import Role
from tests import demo_copy
from tests.clients import Client

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


# The demo, lent to the module (tests/demo_copy.py) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(seeded_demo, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), demo_copy.demo_lent(seeded_demo, media), transaction.atomic():
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
    settings.MIDDLEWARE = [f"{__name__}.WatchReadsMiddleware", *settings.MIDDLEWARE]
    users = get_user_model().objects
    accounts = {"head": "head", "trust": "trust", "dpo": "dpo-hostile", "admin": "admin-hostile"}
    return {persona: users.get(username=username) for persona, username in accounts.items()}


def _client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# What a request read of the values sent ---------------------------------------------------------------
#
# A request that never read its query string or body answers the same whatever value they carry. The walk
# notes what each request read (below) and, once a request has twice in a row read neither and got the same
# answer, it stops sending that request with the next values: it sends it once more after the last value,
# to see the records the others' values may have saved. Anything that could let a value through counts as a
# read, so a page that reads its values gets every one of them.

WATCHED_ENVIRON = {"QUERY_STRING", "CONTENT_LENGTH", "CONTENT_TYPE", "wsgi.input"}
QUERY_READS = {"GET", "path", "QUERY_STRING"}
BODY_READS = {"POST", "FILES", "body", "read", "CONTENT_LENGTH", "CONTENT_TYPE", "wsgi.input"}


class _WatchedEnviron(dict):
    """request.META (and request.environ): reading what the values change counts as a read."""

    def __init__(self, environ, reads):
        super().__init__(environ)
        self.reads = reads

    def _note(self, key):
        if key in WATCHED_ENVIRON:
            self.reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def copy(self):
        self.reads.update(WATCHED_ENVIRON)
        return dict(super().items())


def _reading_everything(name):
    """dict's method `name` (a walk over every key), noting that the values may have been read."""
    method = getattr(dict, name)

    def walk(self, *args):
        self.reads.update(WATCHED_ENVIRON)
        return method(self, *args)
    return walk


for _name in ("items", "keys", "values", "__iter__"):
    setattr(_WatchedEnviron, _name, _reading_everything(_name))


class _WatchedRequest(WSGIRequest):
    """The request with every way to its query string and body noted in hostile_reads."""

    def _note(self, what):
        self.hostile_reads.add(what)
        return self

    @property
    def GET(self):  # noqa: N802 - Django's name
        self._note("GET")
        if "_watched_get" not in self.__dict__:
            self.__dict__["_watched_get"] = WSGIRequest.__dict__["GET"].func(self)
        return self.__dict__["_watched_get"]

    @GET.setter
    def GET(self, value):  # noqa: N802
        self.__dict__["_watched_get"] = value

    @property
    def POST(self):  # noqa: N802
        return WSGIRequest.POST.fget(self._note("POST"))

    @POST.setter
    def POST(self, value):  # noqa: N802
        WSGIRequest.POST.fset(self, value)

    FILES = property(lambda self: WSGIRequest.FILES.fget(self._note("FILES")))
    body = property(lambda self: WSGIRequest.body.fget(self._note("body")))


def _noted(name, what):
    """WSGIRequest's method `name`, noting `what` was read first."""
    method = getattr(WSGIRequest, name)

    def noted(self, *args, **kwargs):
        return method(self._note(what), *args, **kwargs)
    return noted


for _name, _what in [("read", "read"), ("readline", "read"), ("readlines", "read"), ("__iter__", "read"),
                     ("_get_full_path", "path")]:
    setattr(_WatchedRequest, _name, _noted(_name, _what))


class WatchReadsMiddleware:
    """First of all middleware: from here on the request notes what it reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.hostile_reads = set()
        request.__class__ = _WatchedRequest
        request.META = request.environ = _WatchedEnviron(request.META, request.hostile_reads)
        return self.get_response(request)


def _read_its_values(response) -> bool:
    """A GET carries the values in its query string, a POST in its body (its address has no query)."""
    request = response.wsgi_request
    return bool(request.hostile_reads & (QUERY_READS if request.method == "GET" else BODY_READS))


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


def _requests(address: str, fields: list) -> list:
    """The four requests each value is sent in: every parameter, then the dates alone, by GET and by POST."""
    def get(names):
        def send(client, value):
            query = urlencode(dict.fromkeys(names, value))
            return client.get(f"{address}?{query}"), f"GET {address}?{query[:60]}"
        return send

    def post(names):
        # Form-encoded, as a browser sends a form without a file: the test client's default, multipart, put
        # the ~200 fields of 5,000 characters through its encoder and Django's multipart parser, a seventh of the
        # walk's time, for the same values in request.POST (a string is a field in multipart too, never a file).
        def send(client, value):
            body = urlencode(dict.fromkeys(names, value))
            return client.post(address, body, content_type="application/x-www-form-urlencoded"), \
                f"POST {address} {value[:20]!r} in {len(names)} fields"
        return send

    return [get(QUERY_NAMES), get(_dates(QUERY_NAMES)), post(fields), post(_dates(fields))]


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
            requests = _requests(address, fields)
            unread = [[] for _ in requests]  # the answers in a row of each request that read no value
            sent = [0 for _ in requests]
            for value in tried:
                for index, send in enumerate(requests):
                    if len(unread[index]) >= 2 and unread[index][-1] == unread[index][-2]:
                        continue
                    response, where = send(client, value)
                    _check(response, f"{where} as {persona}")
                    sent[index] += 1
                    unread[index] = [] if _read_its_values(response) else [*unread[index], response.status_code]
                if name == "logout":
                    client = _client(world.get(persona))
            for index, send in enumerate(requests):
                if sent[index] < len(tried):
                    response, where = send(client, tried[-1])
                    _check(response, f"{where} as {persona}, after the other values")


def test_the_walk_sees_which_requests_read_their_values(world):
    """The watch the walk relies on to skip repeats: a page that reads its query or form is seen to."""
    from incidents.models import Incident

    head = _client(world["head"])
    case = Incident.objects.filter(school__code="asp").order_by("pk").first()
    assert _read_its_values(head.get("/incidents/?q=abc"))
    assert _read_its_values(head.post("/setup/schools/new/", {"name": "abc"})) is False  # refused unread
    assert _read_its_values(_client(world["admin"]).post("/setup/schools/new/", {"name": "abc"}))
    assert _read_its_values(head.get(f"/incidents/{case.pk}/?q=abc")) is False
    assert _read_its_values(head.post(f"/incidents/{case.pk}/", {"q": "abc"})) is False  # 405
    assert _read_its_values(_client(None).get("/incidents/?q=abc"))  # sent to log in, with the query


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
