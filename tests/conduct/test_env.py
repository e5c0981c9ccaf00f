"""Settings helpers: a bad value in the environment stops the server loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conduct.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["true", "TRUE", "True", "tRuE", "1", " true "])
def test_true_values(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", False) is True


@pytest.mark.parametrize("raw", ["false", "FALSE", "False", "fAlSe", "0"])
def test_false_values(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", True) is False


@pytest.mark.parametrize("raw", ["yes", "no", "on", "off", "ture", "2", "-1", "t", "f", "truee", "00"])
def test_anything_else_is_refused(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


@pytest.mark.parametrize("default", [True, False])
def test_unset_or_empty_boolean_takes_the_default(monkeypatch, default):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", default) is default
    monkeypatch.setenv("X_FLAG", "")
    assert env_bool("X_FLAG", default) is default


def test_required_string_without_default_fails(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET must be set"):
        env_str("X_SECRET")
    monkeypatch.setenv("X_SECRET", "")
    with pytest.raises(ImproperlyConfigured):
        env_str("X_SECRET")
    monkeypatch.setenv("X_SECRET", "s3cret")
    assert env_str("X_SECRET") == "s3cret"
    assert env_str("X_OTHER_UNSET", "fallback") == "fallback"


def test_integers(monkeypatch):
    monkeypatch.setenv("X_NUM", "42")
    assert env_int("X_NUM", 1) == 42
    monkeypatch.delenv("X_NUM")
    assert env_int("X_NUM", 7) == 7
    for bad in ("4.2", "forty", "1e3"):
        monkeypatch.setenv("X_NUM", bad)
        with pytest.raises(ImproperlyConfigured, match="not a whole number"):
            env_int("X_NUM", 1)


def test_lists(monkeypatch):
    monkeypatch.setenv("X_HOSTS", " a.example.org, b.example.org ,,")
    assert env_list("X_HOSTS", []) == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("X_HOSTS")
    assert env_list("X_HOSTS", ["default"]) == ["default"]


def _settings_in_subprocess(env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.DEBUG, settings.TIME_ZONE, settings.LANGUAGE_CODE)"],
        env={**base, "DJANGO_SETTINGS_MODULE": "conduct.settings", **env},
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=60,
    )


def test_a_typo_in_debug_stops_the_settings_from_loading():
    result = _settings_in_subprocess({"DEBUG": "ture", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DEBUG='ture'" in result.stderr


def test_debug_is_off_unless_set_and_then_a_secret_key_is_required():
    result = _settings_in_subprocess({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_london_time_and_british_english():
    result = _settings_in_subprocess({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Europe/London", "en-gb"]
