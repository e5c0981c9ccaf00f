"""MEDIA_STORAGE chooses where uploaded files live; a missing or unknown value stops the server loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conduct.env import media_storage

S3_NAMES = ["MEDIA_STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID",
            "S3_SECRET_ACCESS_KEY", "S3_PREFIX", "S3_ADDRESSING_STYLE"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in S3_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_the_filesystem_by_default(monkeypatch):
    assert media_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("MEDIA_STORAGE", "filesystem")
    assert media_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_with_a_bucket(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "S3")
    monkeypatch.setenv("S3_BUCKET", "conduct-media")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://objects.example.org")
    monkeypatch.setenv("S3_REGION", "eu-west-2")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("S3_PREFIX", "/trust-a/")
    storage = media_storage()
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "conduct-media", "https://objects.example.org", "eu-west-2")
    assert (options["access_key"], options["secret_key"], options["location"]) == ("key", "secret", "trust-a")
    # Private objects that are never overwritten.
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["client_config"].s3 == {"addressing_style": "path"}


def test_aws_without_keys_leaves_credentials_and_addressing_to_boto3(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "conduct-media")
    options = media_storage()["OPTIONS"]
    assert options["endpoint_url"] is None and options["access_key"] is None and options["secret_key"] is None
    assert options["client_config"].s3 == {"addressing_style": "auto"}


def test_s3_without_a_bucket_is_refused(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        media_storage()


@pytest.mark.parametrize("value", ["s4", "disk", "minio", "file system"])
def test_an_unknown_storage_is_refused(monkeypatch, value):
    monkeypatch.setenv("MEDIA_STORAGE", value)
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        media_storage()


def test_half_a_key_pair_is_refused(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "conduct-media")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "key")
    with pytest.raises(ImproperlyConfigured, match="S3_SECRET_ACCESS_KEY"):
        media_storage()


def test_an_unknown_addressing_style_is_refused(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "conduct-media")
    monkeypatch.setenv("S3_ADDRESSING_STYLE", "sideways")
    with pytest.raises(ImproperlyConfigured, match="S3_ADDRESSING_STYLE"):
        media_storage()


def test_the_settings_use_it_so_a_server_without_its_bucket_does_not_start(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_", "MEDIA_STORAGE"))},
           "DJANGO_SETTINGS_MODULE": "conduct.settings", "DEBUG": "true", "MEDIA_STORAGE": "s3",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "ImproperlyConfigured: MEDIA_STORAGE=s3 needs S3_BUCKET" in result.stderr
