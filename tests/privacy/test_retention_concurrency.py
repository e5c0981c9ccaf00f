"""On PostgreSQL, with two real connections: a hold placed while `--apply` runs wins.

The hold's transaction locks the case row and has not committed when the
run reaches the case: the run waits on the row lock, then sees the hold
and leaves the case alone.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import Stage
from privacy import retention, services
from privacy.models import AnonymisedRecord
from tests.locks import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_a_hold_committed_while_the_run_waits_wins(build, personas):
    case = build.case(stage=Stage.CLOSED)
    Incident.objects.filter(pk=case.pk).update(stage_changed_at=timezone.now() - timedelta(days=365 * 7))
    placed, commit = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            services.hold_place(actor=personas["head"], incident=case, kind="police", reason="Police enquiry.",
                                review_on=timezone.localdate() + timedelta(days=30))
            placed.set()
            commit.wait(30)

    holder, held = in_thread(hold)
    assert placed.wait(30)
    run = retention.Run(timezone.now())
    runner, outcome = in_thread(lambda: retention.anonymise_case(run, case.pk))
    # Wait (without a time limit asserted) until the run is blocked on the case's row lock.
    for _ in range(300):
        if _someone_waits_for_a_lock() or not runner.is_alive():
            break
        time.sleep(0.1)
    commit.set()
    holder.join(30)
    runner.join(30)
    assert "error" not in held and "error" not in outcome, (held, outcome)
    assert outcome["result"] is False
    assert Incident.objects.get(pk=case.pk).description == "Shouted at staff."
    assert not AnonymisedRecord.objects.filter(object_id=case.pk, model="incidents.incident").exists()
