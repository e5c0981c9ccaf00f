"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Never `playwright install`: it downloads its own browser. Install Debian's with
`apt-get install chromium`. Without it, every browser test is skipped.
"""

import importlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "conduct-demo"

# `live_server` and Playwright's sync API share a thread with an event loop;
# Django refuses database calls there unless told it is safe (teardown flushes).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `apt-get install chromium` to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # British English for the browser itself (date inputs follow the OS locale, which is C here).
                 "--lang=en-GB"],
    }


@pytest.fixture(scope="session")
def _media_not_served():
    """settings.MEDIA_URL is None (no URL serves uploads), which the live server's media
    handler cannot parse. An off-site URL makes that handler step aside, so evidence and
    letters are still only reachable through their permission-checking views."""
    with override_settings(MEDIA_URL="https://media.invalid/"):
        yield


@pytest.fixture(scope="session")
def live_server(_media_not_served, live_server):
    return live_server


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened relative to the live server (`page.goto("/accounts/login/")`)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    # British locale and time zone, as the schools use.
    return {**browser_context_args, "base_url": base_url, "locale": "en-GB", "timezone_id": "Europe/London",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def _seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once per test process, kept as an in-memory SQLite copy with its media folder.

    Seeding takes a dozen seconds; copying the copy back takes milliseconds. The database is left as the
    first browser test found it. On another database (None) each test seeds its own."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            yield None
            return
        connection.ensure_connection()
        before = _copy_of(connection.connection)
        media = tmp_path_factory.mktemp("demo-media")
        with override_settings(MEDIA_ROOT=media):
            _seed_demo()
        seeded = _copy_of(connection.connection)
        before.backup(connection.connection)
        before.close()
    yield seeded, media
    seeded.close()


def _copy_of(database):
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    database.backup(copy)
    return copy


def _seed_demo():
    _restore_breach_categories()
    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))


@pytest.fixture
def demo(live_server, django_db_serialized_rollback, _seeded_demo, settings):
    """The demo trust, schools, accounts and cases, in the live server's database.

    The live server needs a transactional database, which is emptied after each
    test: each test gets the seeded demo back whole (on SQLite, the session's copy
    and its files; elsewhere seeded again after serialized rollback has restored the
    migrations' data)."""
    if _seeded_demo is None:
        _seed_demo()
        return live_server
    from django.db import connection

    seeded, media = _seeded_demo
    connection.ensure_connection()
    seeded.backup(connection.connection)
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return live_server


def _restore_breach_categories():
    """pytest-django runs transactional tests last, and one that does not ask for
    serialized rollback leaves the database flushed: the categories the data
    migration seeded are gone. Running the migration's own seed again (it is
    idempotent) makes the browser tests independent of that order."""
    from django.apps import apps

    migration = importlib.import_module("incidents.migrations.0002_seed_breach_categories")
    migration.seed(apps, None)


@pytest.fixture
def page(page, demo):
    """Every page: a short default wait (a broken step fails fast) and dialogs fail loudly unless expected."""
    page.set_default_timeout(8000)
    return page

