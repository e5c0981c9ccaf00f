"""Shared personas and case builders for every test.

Personas: office, senior (deputy), head, chair at the first school; trust
(read-only, all schools); other_office and other_head at a second school; an
inactive user; and the anonymous visitor (a plain client).
"""

import gc

import pytest
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from tests import builders, demo_copy
from tests.clients import Client

# The longest single tests (up to two minutes each on PostgreSQL), first. pytest-xdist hands tests out in
# order, and the workflow machine, reached near the end, kept one process busy for a minute after the other
# had run out of tests.
LONGEST_FIRST = (
    "tests/sanctions/test_workflow_state_machine.py::",
    "tests/conduct/test_page_query_counts.py::test_every_benchmarked_page",
    "tests/reports/test_report_query_counts.py::test_every_report",
    "tests/conduct/test_security_headers.py::test_headers_on_every_app_page",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (the tests that empty the database last): the longest first, the rest as they were.
    All of LONGEST_FIRST run in a transaction rolled back, so moving them ahead changes no database a test sees."""
    def rank(item):
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)


def pytest_collection_finish(session):
    """Python's cycle collector need not walk what every test shares, nor look at a request's objects so often.

    Once the test modules, Django, the URLconf and the template libraries are imported, each full collection
    went through all of it again. Frozen, it is left out of collections (none of it is garbage: it lives as
    long as the process). And a test makes a few thousand short-lived objects a request: collecting the
    youngest every 10,000 allocations rather than every 700 finds the same cycles, later. Together, a quarter
    of the suite's time (394 s to 296 s here, the same tests). Tests keep the collector; a test of memory
    (the CSV export's) still sees every cycle it leaves."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say how many browser tests ran: a run that skipped them all must not pass unnoticed."""
    outcomes = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = [r for r in terminalreporter.stats.get(outcome, []) if "browser" in getattr(r, "keywords", {})]
        # A test reports once per phase; count each test once.
        outcomes[outcome] = len({r.nodeid for r in reports})
    ran = outcomes["passed"] + outcomes["failed"]
    if any(outcomes.values()):
        terminalreporter.write_line(
            f"Browser tests: {ran} ran ({outcomes['passed']} passed, {outcomes['failed']} failed), "
            f"{outcomes['skipped']} skipped, {outcomes['error']} errors."
        )


@pytest.fixture(scope="session", autouse=True)
def _each_pdf_rendered_once_per_process():
    """The demo is seeded by many tests and issues the same thirty letters each time, which is half
    of a seed's time in WeasyPrint. Within one test process the same HTML gives the same PDF, so it
    is rendered once and its bytes reused; any HTML not seen before is rendered as usual. (Tests of
    html_to_pdf itself import the function, not this module attribute, and so always render.)"""
    from sanctions.letters import rendering

    original, rendered = rendering.html_to_pdf, {}

    def html_to_pdf(html):
        if html not in rendered:
            rendered[html] = original(html)
        return rendered[html]

    rendering.html_to_pdf = html_to_pdf
    yield
    rendering.html_to_pdf = original


@pytest.fixture(scope="session")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """(the demo as an in-memory SQLite copy, its media folder), seeded once per test process, or None on
    another database. Borrow it with tests.demo_copy.demo_lent."""
    media = tmp_path_factory.mktemp("seeded-demo-media")
    with django_db_blocker.unblock():
        seeded = demo_copy.seeded_copy(media)
    yield None if seeded is None else (seeded, media)
    if seeded is not None:
        seeded.close()


@pytest.fixture(scope="class")
def lent_demo(seeded_demo, django_db_blocker, tmp_path_factory):
    """seed_demo's data in the test database, and its files in the folder yielded, for a class of tests that
    only read it (for a test outside a class, for that test); the database as it was afterwards."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), demo_copy.demo_lent(seeded_demo, media):
        yield media


@pytest.fixture
def demo_data(lent_demo, db, settings):
    """The lent demo, its files where the storage looks; what a test adds is rolled back."""
    settings.MEDIA_ROOT = lent_demo


PERSONA_ROLES = {
    "office": (Role.OFFICE, "school"),
    "senior": (Role.SENIOR, "school"),
    "head": (Role.HEAD, "school"),
    "chair": (Role.CHAIR, "school"),
    "trust": (Role.TRUST, None),
    "other_office": (Role.OFFICE, "other_school"),
    "other_head": (Role.HEAD, "other_school"),
}
ALL_PERSONAS = [*PERSONA_ROLES, "inactive", "anonymous"]


@pytest.fixture
def trust(db):
    return Trust.objects.create(name="Test Trust")


def _school(trust, code, name):
    return School.objects.create(
        trust=trust,
        code=code,
        name=name,
        address="1 Test Road\nTestville",
        phone="01000 000000",
        email=f"office@{code}.example.org",
        head_name=f"Head of {name}",
        head_title="Head of School",
        chair_name=f"Chair of {name}",
        site_contact="Call the head on 01000 000001",
    )


@pytest.fixture
def school(trust):
    return _school(trust, "one", "School One")


@pytest.fixture
def other_school(trust):
    return _school(trust, "two", "School Two")


@pytest.fixture
def personas(school, other_school):
    """The users and their roles, each with its history row, in four queries rather than thirty-two: almost every
    test builds them. (No app code listens for a user or a role being saved; simple-history's rows are written
    by bulk_create_with_history as its signal would write them.)"""
    user_model = get_user_model()
    staff = [user_model(username=name, email=f"{name}@example.org", first_name=name.title()) for name in PERSONA_ROLES]
    for user in staff:
        user.set_password("pw-for-tests-only")
    inactive = user_model(username="inactive", is_active=False)
    inactive.set_password("pw")
    created = bulk_create_with_history([*staff, inactive], user_model)
    users = dict(zip([*PERSONA_ROLES, "inactive"], created, strict=True))
    schools = {"school": school, "other_school": other_school}
    roles = [StaffRole(user=users[name], role=role, school=schools.get(where))
             for name, (role, where) in PERSONA_ROLES.items()]
    bulk_create_with_history([*roles, StaffRole(user=users["inactive"], role=Role.HEAD, school=school)], StaffRole)
    users["anonymous"] = None
    return users


@pytest.fixture
def client_as(personas):
    def make(name):
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def build(personas, school, other_school):
    """Case builders bound to the personas: build.case(stage=...), build.person()."""
    return builders.Builder(personas, school, other_school)


@pytest.fixture
def statuses(client_as):
    """{persona: status code} for one request made by every persona in turn.

    Each persona gets a fresh client, so one persona's POST cannot log another in.
    Redirects are not followed: 302 means "sent elsewhere", usually the login page.
    """

    def run(url, method="get", data=None, personas=None, **extra):
        result = {}
        for name in personas or ALL_PERSONAS:
            response = getattr(client_as(name), method)(url, data or {}, **extra)
            result[name] = response.status_code
            if response.status_code == 302 and name in ("anonymous", "inactive"):
                assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
        return result

    return run


@pytest.fixture
def png_bytes():
    """A real (tiny) PNG image."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media_root_per_test(settings, tmp_path):
    """Each test stores uploads and letters in its own folder, so no test sees
    files another test left behind (and "nothing reached the disk" can be checked)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client():
    """pytest-django's client, signing in as tests.clients.Client does."""
    return Client()
