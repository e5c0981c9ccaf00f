"""Write a complete, self-checking backup: every record as JSON plus the media files.

    python manage.py conduct_backup --output /backups/conduct-2026-11-24

The folder gets data.json (dumpdata of every app: trust, schools, staff roles,
users, cases, sanctions, letters, bans, two-factor devices and every history
table), media/ (a copy of MEDIA_ROOT: evidence, issued letters, photos) and
manifest.json (when, which migrations, row counts and a SHA-256 for every file),
which conduct_restore checks before loading anything.

Left out on purpose: content types and permissions (migrate recreates them),
sessions (everybody logs in again) and django-axes' lock-out counters.
"""

import hashlib
import json
import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
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
        media_root = Path(settings.MEDIA_ROOT)
        media_target = target / "media"
        files = {}
        if media_root.is_dir():
            shutil.copytree(media_root, media_target)
            for path in sorted(media_target.rglob("*")):
                if path.is_file():
                    files[path.relative_to(media_target).as_posix()] = sha256_of(path)
        else:
            media_target.mkdir()
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
