"""bench/results.md: one section per benchmark and database, each replaced by the next run of its kind.

A run on SQLite must not erase the last PostgreSQL figures (nor the load test's),
so the file is a fixed list of marked sections rather than one report.
"""

import os
import platform
import re
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADER = """# Benchmark results

Written by `make bench` (bench/run.py: the page benchmark, one section per database)
and `make load` (bench/load.py: gunicorn under 50 users). Each run replaces its own
section and keeps the others. Targets are in the README's benchmark section.
"""
# The order sections appear in, whichever run wrote them first.
ORDER = ["pages-sqlite", "pages-postgresql", "load-postgresql"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def database_description(connection) -> str:
    """Vendor, version and where, without the credentials DATABASE_URL may hold."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} (database {settings['NAME']} on {settings.get('HOST') or 'local socket'})"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({Path(str(settings['NAME'])).name})"
    return connection.vendor


def environment(connection) -> list[tuple[str, str]]:
    import django

    return [
        ("Date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("Machine", f"{_cpu_model()}, {os.cpu_count()} cores, {_memory()} memory, {platform.system()} "
                    f"{platform.release()}"),
        ("Database", database_description(connection)),
        ("Python / Django", f"{platform.python_version()} / {django.get_version()}"),
        # Other work on the machine skews every figure: the reader should see it was quiet.
        ("Load average at the start", " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"),
    ]


def markdown_table(headers: list[str], rows: list[list], align: str = "") -> str:
    """align: one letter per column, l or r (default l)."""
    marks = ["---:" if (align[i:i + 1] == "r") else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _sections(text: str) -> dict[str, str]:
    pattern = re.compile(r"<!-- section:(?P<key>[\w-]+) -->\n(?P<body>.*?)<!-- /section:(?P=key) -->", re.S)
    return {m["key"]: m["body"] for m in pattern.finditer(text)}


def write_section(key: str, body: str, path: Path = RESULTS) -> Path:
    """Replace section `key` of the results file (creating the file if needed), keep the others."""
    path = Path(path)
    sections = _sections(path.read_text()) if path.exists() else {}
    sections[key] = body.rstrip() + "\n"
    keys = [k for k in ORDER if k in sections] + sorted(k for k in sections if k not in ORDER)
    parts = [HEADER]
    parts += [f"<!-- section:{k} -->\n{sections[k]}<!-- /section:{k} -->\n" for k in keys]
    path.write_text("\n".join(parts))
    return path

