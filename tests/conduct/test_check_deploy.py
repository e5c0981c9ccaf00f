"""With production values, Django's deployment checklist finds nothing to warn about."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(extra_env):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_"))}
    env = {**base, "DJANGO_SETTINGS_MODULE": "conduct.settings", **extra_env}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
                     "ALLOWED_HOSTS": "conduct.example.org",
                     "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_check_would_catch_an_insecure_setting(tmp_path):
    # The same check fails when a production protection is switched off, so the test above can fail.
    result = _check({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
                     "ALLOWED_HOSTS": "conduct.example.org", "SECURE_SSL_REDIRECT": "false",
                     "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"})
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
