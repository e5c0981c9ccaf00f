"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

Never `playwright install`: it downloads its own browser. Install Debian's with
`apt-get install chromium`. Without it, every browser test is skipped.
"""

import os
from pathlib import Path

import pytest
from django.test.utils import override_settings

from tests import demo_copy

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


@pytest.fixture
def demo(live_server, django_db_serialized_rollback, seeded_demo, settings):
    """The demo trust, schools, accounts and cases, in the live server's database.

    The live server needs a transactional database, which is emptied after each
    test: each test gets the seeded demo back whole (on SQLite, the process's copy
    and its files, tests/demo_copy.py; elsewhere seeded again after serialized
    rollback has restored the migrations' data)."""
    if seeded_demo is None:
        demo_copy.seed_demo()
    else:
        demo_copy.put_back(*seeded_demo, settings.MEDIA_ROOT)
    return live_server


@pytest.fixture
def page(page, demo):
    """Every page: a short default wait (a broken step fails fast) and dialogs fail loudly unless expected."""
    page.set_default_timeout(8000)
    return page

