"""Read settings from the environment and fail loudly on a bad value.

A typo in a production setting (DEBUG=ture) must stop the server from
starting rather than silently fall back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use true/false (any case) or 1/0."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_ADDRESSING_STYLES = {"auto", "path", "virtual"}


def media_storage() -> dict:
    """STORAGES["default"] from MEDIA_STORAGE: `filesystem` (MEDIA_ROOT) or `s3` (an S3-compatible bucket).

    Every reader of an uploaded file goes through the storage API, so several
    app servers can share one bucket. Objects stay private: nothing is ever
    served from the bucket, only streamed through the permission-checking views.
    """
    kind = env_str("MEDIA_STORAGE", "filesystem").strip().lower()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE={os.environ['MEDIA_STORAGE']!r}: use 'filesystem' or 's3'.")
    bucket = env_str("S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket's name.")
    access_key = env_str("S3_ACCESS_KEY_ID", "")
    secret_key = env_str("S3_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither "
                                   "(then boto3 finds credentials itself, e.g. an instance role).")
    endpoint = env_str("S3_ENDPOINT_URL", "")
    # Other S3-compatible servers (MinIO, Ceph, Garage) mostly want path-style addresses; AWS picks its own.
    style = env_str("S3_ADDRESSING_STYLE", "path" if endpoint else "auto").strip().lower()
    if style not in _ADDRESSING_STYLES:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE={style!r}: use auto, path or virtual.")
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": env_str("S3_PREFIX", "").strip("/"),
            # Private objects: the bucket's own policy decides, no public-read ACL is ever sent.
            "default_acl": None,
            # Evidence is never replaced in place: a second file with the same name gets a new one.
            "file_overwrite": False,
            # Downloads are buffered on disk past 2 MB rather than held whole in memory (the default).
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": Config(
                s3={"addressing_style": style},
                # botocore's newer default checksums are refused by several S3-compatible servers;
                # every file's SHA-256 is in the database anyway.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }
