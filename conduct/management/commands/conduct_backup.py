"""Write a complete, self-checking backup: every record as JSON plus the media files.

    python manage.py conduct_backup --output /backups/conduct-2026-11-24

The folder gets data.json (dumpdata of every app: trust, schools, staff roles,
users, cases, sanctions, letters, bans, two-factor devices and every history
table), media/ (a copy of every file in the media storage, MEDIA_ROOT or the
bucket: evidence, photos, logos, representation attachments) and manifest.json
(when, which migrations, row counts and a SHA-256 for every file), which
conduct_restore checks before loading anything. Files are read through the
configured storage, so a backup made from a bucket restores onto a filesystem
and the other way round.

Left out on purpose: content types and permissions (migrate recreates them),
sessions (everybody logs in again) and django-axes' lock-out counters.
"""

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]
FORMAT_VERSION = 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(storage, folder: str = ""):
    """Every file name in the storage, in name order within each folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a MEDIA_ROOT nothing was ever saved to
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def copy_from_storage(storage, name: str, destination: Path) -> str:
    """Copy one stored file to `destination` and return its SHA-256."""
    digest = hashlib.sha256()
    destination.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, destination.open("wb") as target:
        for chunk in source.chunks():
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


def sha256_of_stored(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> dict:
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(latest.items())}


def excluded(model) -> bool:
    return model._meta.app_label in EXCLUDE or model._meta.label_lower in EXCLUDE


def row_counts() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not excluded(model) and not model._meta.proxy
    }


class Command(BaseCommand):
    help = "Back up every record (JSON) and the media files into a new folder, with a checksummed manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="A folder that does not exist yet or is empty.")

    def handle(self, *args, output, **options):
        target = Path(output)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty: give a new folder for each backup.")
        target.mkdir(parents=True, exist_ok=True)
        data_path = target / "data.json"
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for the whole dump, so a case saved meanwhile is in it whole or not at all.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, output=str(data_path),
                         verbosity=0)
            counts = row_counts()
            migrations = applied_migrations()
        media_target = target / "media"
        media_target.mkdir()
        files = {name: copy_from_storage(default_storage, name, media_target / name)
                 for name in stored_files(default_storage)}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "data_sha256": sha256_of(data_path),
            "media": files,
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        total = sum(counts.values())
        self.stdout.write(f"Backed up {total} rows and {len(files)} media files to {target}.")
