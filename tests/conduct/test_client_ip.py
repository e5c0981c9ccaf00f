"""Behind the proxy, the login lock-out counts the browser's address, not the proxy's."""

import pytest
from django.test import Client, RequestFactory

from conduct.client_ip import forwarded_client_ip

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)


def test_the_rightmost_forwarded_address_is_the_one_the_proxy_saw():
    assert forwarded_client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.5")) == "203.0.113.5"
    # Whatever the client wrote to the left is ignored: the proxy appended the real address.
    assert forwarded_client_ip(_request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")) == "203.0.113.5"


def test_without_the_header_the_connection_address():
    assert forwarded_client_ip(_request()) == PROXY
    assert forwarded_client_ip(_request(HTTP_X_FORWARDED_FOR=" ")) == PROXY


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_CLIENT_IP_CALLABLE = "conduct.client_ip.forwarded_client_ip"


def test_one_browser_locked_out_does_not_lock_the_username_for_everybody(personas, behind_proxy, settings):
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": "office", "password": f"wrong-{attempt}"})
    assert attacker.post(LOGIN, {"username": "office", "password": "pw-for-tests-only"}).status_code == 429
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert colleague.post(LOGIN, {"username": "office", "password": "pw-for-tests-only"}).status_code == 302


@pytest.mark.parametrize(("behind", "expected"), [("true", "conduct.client_ip.forwarded_client_ip"), ("false", "None")])
def test_the_settings_trust_the_header_only_behind_the_proxy(tmp_path, behind, expected):
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "BEHIND_"))},
           "DJANGO_SETTINGS_MODULE": "conduct.settings", "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
           "BEHIND_TLS_PROXY": behind, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.AXES_CLIENT_IP_CALLABLE)"
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == expected, result.stderr
