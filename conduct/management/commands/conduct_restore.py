"""Restore a conduct_backup folder into an empty, migrated database.

    python manage.py migrate
    python manage.py conduct_restore --input /backups/conduct-2026-11-24
    python manage.py conduct_audit

Checks the manifest first (checksums of data.json and of every media file, and
that this database has the same migrations applied), then empties the tables
(only the rows migrations seed, such as the breach categories, when the
database is new), loads every record, writes the media files back through
the configured storage (MEDIA_ROOT or the bucket) and compares the row counts
with the manifest.

Refuses a database that already holds users or cases unless --replace is
given, and a media storage that holds a different file under the same name.
"""

import json
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from conduct.management.commands.conduct_backup import (
    FORMAT_VERSION,
    applied_migrations,
    row_counts,
    sha256_of,
    sha256_of_stored,
)


class Command(BaseCommand):
    help = "Restore a conduct_backup folder into an empty database and media storage."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="The folder conduct_backup wrote.")
        parser.add_argument("--replace", action="store_true",
                            help="Wipe a database that already holds users or cases (never the default).")

    def handle(self, *args, **options):
        source = Path(options["input"])
        replace = options["replace"]
        manifest = self._check(source)
        if not replace and self._has_data():
            raise CommandError("This database already holds users or cases. Restore into a new, migrated database, "
                               "or pass --replace to wipe this one first.")
        storage = default_storage
        for name, digest in manifest["media"].items():
            if storage.exists(name) and sha256_of_stored(storage, name) != digest:
                raise CommandError(f"The media storage already has a different {name}: "
                                   "restore into an empty MEDIA_ROOT or bucket.")
        # Empty every table (new databases hold only what migrations seed), recreate the
        # content types and permissions, then load the records: all or nothing.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # TRUNCATE refuses while deferred foreign-key checks are pending in this transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            if connection.vendor == "postgresql":
                # Back to deferred checks, so records may refer to rows loaded after them.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # The history tables are in the backup: loading the records must not add a
            # second history row for each (simple-history reacts to the m2m sets loaddata does).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(source / "data.json"), verbosity=0)
            counts = row_counts()
            different = {label: (counts.get(label), expected) for label, expected in manifest["counts"].items()
                         if counts.get(label) != expected}
            if different:
                raise CommandError(f"Row counts differ after loading (found, expected): {different}")
        for name in manifest["media"]:
            if storage.exists(name):
                continue  # the same bytes, checked above
            with (source / "media" / name).open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise CommandError(f"The media storage saved {name} as {saved}: the records would not find it.")
        self.stdout.write(f"Restored {sum(manifest['counts'].values())} rows and {len(manifest['media'])} media files. "
                          "Now run: python manage.py conduct_audit")

    def _has_data(self) -> bool:
        from incidents.models import Incident, Person

        return get_user_model().objects.exists() or Incident.objects.exists() or Person.objects.exists()

    def _check(self, source: Path) -> dict:
        manifest_path = source / "manifest.json"
        if not manifest_path.is_file():
            raise CommandError(f"{source} has no manifest.json: is it a conduct_backup folder?")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise CommandError(f"Backup format {manifest.get('format')} is not {FORMAT_VERSION}.")
        if sha256_of(source / "data.json") != manifest["data_sha256"]:
            raise CommandError("data.json does not match its checksum in the manifest: the backup is damaged.")
        for name, digest in manifest["media"].items():
            parts = PurePosixPath(name).parts
            if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
                raise CommandError(f"The manifest names a file outside media/: {name!r}.")
            path = source / "media" / name
            if not path.is_file() or sha256_of(path) != digest:
                raise CommandError(f"media/{name} is missing or damaged.")
        ours = applied_migrations()
        if ours != manifest["migrations"]:
            apps_differ = sorted(app for app in set(ours) | set(manifest["migrations"])
                                 if ours.get(app) != manifest["migrations"].get(app))
            raise CommandError(
                f"This database's migrations differ from the backup's for: {', '.join(apps_differ)}. "
                "Check out the code version the backup was made with, migrate, then restore."
            )
        return manifest
