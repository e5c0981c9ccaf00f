"""Two heads decide the same case at the same moment: one wins, the other is told, nothing is lost.

This needs real row locks (SELECT ... FOR UPDATE), so it runs on PostgreSQL only.
"""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from conduct.models import StaffRole
from incidents.workflow import Stage
from sanctions.audit import run_audit
from sanctions.models import Decision, DecisionOutcome
from sanctions.responses.services import decision_record

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL row locks; SQLite locks the whole database instead"),
    # serialized_rollback: the flush after a transactional test would otherwise
    # delete the breach categories the data migration seeded, for every later test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def second_head(personas, school):
    user = get_user_model().objects.create_user(username="exec_head", password="pw", email="exec@example.org")
    StaffRole.objects.create(user=user, school=school, role="head")
    return user


def _in_thread(target):
    """Run `target` in a thread with its own database connection; return (result, error, seconds)."""
    outcome = {}

    def run():
        started = time.monotonic()
        try:
            outcome["result"] = target()
        except Exception as error:  # noqa: BLE001 - handed back to the test to assert on
            outcome["error"] = error
        finally:
            outcome["seconds"] = time.monotonic() - started
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_the_second_head_waits_for_the_first_and_is_told_clearly(build, personas, second_head):
    incident = build.case(stage=Stage.PROPOSED)
    first_decided = threading.Event()
    let_first_commit = threading.Event()

    def first():
        with transaction.atomic():
            decision = decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.APPROVED,
                                       reasons="First head: a warning letter.")
            first_decided.set()
            assert let_first_commit.wait(10)
        return decision

    def second():
        assert first_decided.wait(10)
        return decision_record(actor=second_head, incident=incident, outcome=DecisionOutcome.CHANGED,
                               actions=["meeting"], reasons="Second head: a meeting.")

    t1, one = _in_thread(first)
    t2, two = _in_thread(second)
    assert first_decided.wait(10)
    time.sleep(0.5)  # the second head is now blocked on the case's row lock
    assert t2.is_alive(), "the second decision did not wait for the first one's lock"
    let_first_commit.set()
    t1.join(20)
    t2.join(20)

    assert "error" not in one, one.get("error")
    assert isinstance(two.get("error"), ValidationError)
    assert "no proposal waiting for a decision" in " ".join(two["error"].messages)
    assert two["seconds"] >= 0.4
    decision = Decision.objects.get(incident=incident)
    assert (decision.head, decision.reasons, decision.actions) == (personas["head"],
                                                                   "First head: a warning letter.", ["warning"])
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED
    assert incident.events.filter(kind="decision").count() == 1
    assert run_audit() == []


def test_two_heads_at_exactly_the_same_moment(build, personas, second_head):
    incident = build.case(stage=Stage.PROPOSED)
    barrier = threading.Barrier(2)

    def decide(head, reasons):
        def call():
            barrier.wait(10)
            return decision_record(actor=head, incident=incident, outcome=DecisionOutcome.APPROVED, reasons=reasons)
        return call

    threads = [_in_thread(decide(personas["head"], "Head A")), _in_thread(decide(second_head, "Head B"))]
    for thread, _ in threads:
        thread.join(20)
    outcomes = [outcome for _, outcome in threads]
    winners = [o for o in outcomes if "result" in o]
    losers = [o for o in outcomes if "error" in o]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0]["error"], ValidationError)
    decision = Decision.objects.get(incident=incident)
    assert decision.pk == winners[0]["result"].pk
    assert incident.events.filter(kind="decision").count() == 1
    assert run_audit() == []
