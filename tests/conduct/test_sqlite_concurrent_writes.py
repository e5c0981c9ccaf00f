"""On SQLite, two heads deciding the same case at once: the second waits and is told, never "database is locked".

SQLite locks the whole file. A deferred transaction reads first and asks for
the write lock later, when another writer may hold it: SQLite then answers
"database is locked" at once instead of waiting. The test database is an
in-memory one shared between connections, which locks differently, so the
race runs in a child process on a real SQLite file with the production
connection settings.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite connection settings")

RACE = r"""
import json, threading, time
import django
django.setup()
import importlib
from django.apps import apps
# The file is a copy of the test database, already migrated; a transactional test before this one may have
# emptied it, so the breach categories are seeded again (the data migration's own seed, idempotent).
importlib.import_module("incidents.migrations.0002_seed_breach_categories").seed(apps, None)
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from conduct.models import School, StaffRole, Trust
from incidents.workflow import Stage
from sanctions.models import Decision, DecisionOutcome
from sanctions.responses.services import decision_record
from tests.builders import Builder

trust = Trust.objects.create(name="T")
schools = [School.objects.create(trust=trust, code=code, name=code, address="a", phone="1", email="o@example.org",
                                 head_name="h", chair_name="c") for code in ("one", "two")]
users = {}
for name, role, school in [("office", "office", 0), ("senior", "senior", 0), ("head", "head", 0),
                           ("head2", "head", 0), ("chair", "chair", 0), ("other_head", "head", 1)]:
    users[name] = get_user_model().objects.create_user(username=name, password="pw", email=f"{name}@example.org")
    StaffRole.objects.create(user=users[name], role=role, school=schools[school])
incident = Builder(users, schools[0], schools[1]).case(stage=Stage.PROPOSED)
connections.close_all()

first_decided, outcome = threading.Event(), {}

def first():
    try:
        with transaction.atomic():
            decision_record(actor=users["head"], incident=incident, outcome=DecisionOutcome.APPROVED, reasons="First")
            first_decided.set()
            time.sleep(0.5)  # the second head asks meanwhile
        outcome["first"] = "decided"
    except Exception as error:
        outcome["first"] = f"{type(error).__name__}: {error}"
    finally:
        first_decided.set()
        connections.close_all()

def second():
    first_decided.wait(10)
    try:
        decision_record(actor=users["head2"], incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Second")
        outcome["second"] = "decided"
    except ValidationError as error:
        outcome["second"] = "refused: " + " ".join(error.messages)
    except Exception as error:
        outcome["second"] = f"{type(error).__name__}: {error}"
    finally:
        connections.close_all()

threads = [threading.Thread(target=first), threading.Thread(target=second)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(30)
outcome["decisions"] = Decision.objects.filter(incident=incident).count()
print(json.dumps(outcome))
"""


@pytest.fixture
def migrated_file(tmp_path, transactional_db):
    """A file copy of this process's test database: migrating a new one in the child took half a minute.
    A transactional test holds no transaction open, which the backup needs."""
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def test_the_second_decision_waits_and_gets_the_ordinary_answer(migrated_file):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", RACE],
        env={**base, "DJANGO_SETTINGS_MODULE": "conduct.test_settings",
             "DATABASE_URL": f"sqlite:///{migrated_file}"},
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["first"] == "decided"
    assert outcome["second"].startswith("refused:"), outcome["second"]
    assert "no proposal waiting for a decision" in outcome["second"]
    assert outcome["decisions"] == 1
