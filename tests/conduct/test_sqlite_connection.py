"""On SQLite each connection gets a larger page cache and a memory map (DATABASE_SQLITE_INIT)."""

import os
import subprocess
import sys
from pathlib import Path

PRINT_PRAGMAS = ("import django; django.setup(); from django.db import connection; c = connection.cursor(); "
                 "c.execute('PRAGMA cache_size'); a = c.fetchone()[0]; c.execute('PRAGMA mmap_size'); "
                 "print(a, c.fetchone()[0])")


def _pragmas(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_PRAGMAS],
        env={**base, "DJANGO_SETTINGS_MODULE": "conduct.settings", "DEBUG": "true",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env},
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [int(n) for n in result.stdout.split()]


def test_a_64_mb_cache_and_a_memory_map_by_default(tmp_path):
    assert _pragmas(tmp_path) == [-65536, 1073741824]


def test_the_pragmas_can_be_set(tmp_path):
    assert _pragmas(tmp_path, DATABASE_SQLITE_INIT="PRAGMA cache_size=-2000; PRAGMA mmap_size=0") == [-2000, 0]
