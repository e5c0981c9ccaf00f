"""services.request_pause and request_resume: the DPO stops a request's clock while waiting for the
requester's identity or clarification, and restarts it; the deadline moves on by the days stopped."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy import services
from privacy.models import PauseReason, RequestPause

ASKED = "Emailed on the day to ask for a copy of photo ID."


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def received(family, make_request, today):
    """A request made to the first school twenty days ago, answer due in about ten days."""
    return make_request(received_on=today - timedelta(days=20))


def _pause(dpo, request, paused_from, reason=PauseReason.IDENTITY, detail=ASKED):
    return services.request_pause(actor=dpo, request=request, reason=reason, detail=detail, paused_from=paused_from)


def test_paused_ten_days_the_answer_is_due_ten_days_later_and_the_timeline_says_why(received, dpo, today):
    first_deadline = received.deadline
    _pause(dpo, received, today - timedelta(days=15))
    received.refresh_from_db()
    assert (received.paused_since, received.paused_for, received.deadline) == (
        today - timedelta(days=15), PauseReason.IDENTITY, first_deadline)
    assert not received.overdue
    pause = services.request_resume(actor=dpo, request=received, resumed_on=today - timedelta(days=5),
                                    note="A passport scan arrived.")
    received.refresh_from_db()
    assert pause.days == 10
    assert received.deadline == first_deadline + timedelta(days=10)
    assert (received.paused_since, received.paused_for, received.paused_days) == (None, "", 10)
    stopped, restarted = received.events.filter(kind__in=["paused", "resumed"]).order_by("at", "pk")
    assert (stopped.kind, stopped.note) == ("paused", ASKED)
    assert "waiting for the requester's proof of identity" in stopped.summary
    assert restarted.kind == "resumed" and "after 10 days" in restarted.summary
    assert f"{received.deadline:%-d %b %Y}" in restarted.summary
    assert pause.history.count() == 2 and received.history.first().history_change_reason == "Clock restarted"


def test_paused_twice_both_pauses_count(received, dpo, today):
    first_deadline = received.deadline
    _pause(dpo, received, today - timedelta(days=18))
    services.request_resume(actor=dpo, request=received, resumed_on=today - timedelta(days=15))
    _pause(dpo, received, today - timedelta(days=15), reason=PauseReason.CLARIFICATION, detail="Which year?")
    services.request_resume(actor=dpo, request=received, resumed_on=today)
    received.refresh_from_db()
    assert received.paused_days == 18
    assert received.deadline == first_deadline + timedelta(days=18)
    assert list(received.pauses.values_list("reason", flat=True)) == ["identity", "clarification"]


def test_restarted_the_same_day_moves_nothing(received, dpo, today):
    _pause(dpo, received, today)
    pause = services.request_resume(actor=dpo, request=received, resumed_on=today)
    received.refresh_from_db()
    assert pause.days == 0 and received.deadline == received.due_on
    assert "after 0 days" in received.events.last().summary


def test_an_extension_after_a_pause_keeps_the_paused_days(received, dpo, today):
    _pause(dpo, received, today - timedelta(days=15))
    services.request_resume(actor=dpo, request=received, resumed_on=today - timedelta(days=5))
    extended_to = received.due_on + timedelta(days=30)
    received = services.request_extend(actor=dpo, request=received, extended_to=extended_to, reason="Complex.")
    assert received.deadline == extended_to + timedelta(days=10)
    assert "the clock was stopped 10 days" in received.events.last().summary


def test_a_pause_after_an_extension_moves_the_extended_deadline(received, dpo, today):
    extended_to = received.due_on + timedelta(days=50)
    services.request_extend(actor=dpo, request=received, extended_to=extended_to, reason="Complex.")
    _pause(dpo, received, today - timedelta(days=3))
    services.request_resume(actor=dpo, request=received, resumed_on=today)
    received.refresh_from_db()
    assert received.deadline == extended_to + timedelta(days=3)
    # The extension is still bounded by the first deadline, whatever the pauses.
    assert received.extended_to == extended_to


def test_only_the_dpo_stops_or_restarts_the_clock(received, personas, dpo, today):
    for name in ("head", "senior", "office", "trust", "chair", "other_head"):
        with pytest.raises(PermissionDenied):
            _pause(personas[name], received, today)
    _pause(dpo, received, today)
    with pytest.raises(PermissionDenied):
        services.request_resume(actor=personas["head"], request=received, resumed_on=today)
    received.refresh_from_db()
    assert received.paused


@pytest.mark.parametrize(("days_ago", "why"), [
    (-1, "future"),          # tomorrow
    (21, "before receipt"),  # the day before the request arrived
])
def test_the_clock_stops_between_receipt_and_today(received, dpo, today, days_ago, why):
    with pytest.raises(ValidationError, match="can stop from"):
        _pause(dpo, received, today - timedelta(days=days_ago))
    assert not RequestPause.objects.exists(), why


def test_the_day_of_receipt_is_the_earliest_start(received, dpo, today):
    assert _pause(dpo, received, received.received_on).paused_from == received.received_on


def test_an_overdue_request_cannot_stop_its_clock_after_the_deadline(family, make_request, dpo, today):
    late = make_request(received_on=today - timedelta(days=45))
    with pytest.raises(ValidationError, match="overdue"):
        _pause(dpo, late, today)
    # Its clock could have stopped before the deadline, had the DPO asked then.
    _pause(dpo, late, late.deadline)


def test_a_second_pause_starts_no_earlier_than_the_first_ended(received, dpo, today):
    _pause(dpo, received, today - timedelta(days=15))
    services.request_resume(actor=dpo, request=received, resumed_on=today - timedelta(days=5))
    with pytest.raises(ValidationError, match="last pause ended"):
        _pause(dpo, received, today - timedelta(days=6))


def test_one_pause_at_a_time(received, dpo, today):
    _pause(dpo, received, today - timedelta(days=2))
    with pytest.raises(ValidationError, match="already stopped"):
        _pause(dpo, received, today)
    # The database refuses a second open pause too, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestPause.objects.create(request=received, reason=PauseReason.CLARIFICATION, detail="Again.",
                                    paused_from=today, paused_by=dpo)


def test_restarted_not_before_it_stopped_nor_in_the_future(received, dpo, today):
    _pause(dpo, received, today - timedelta(days=5))
    for resumed_on in (today - timedelta(days=6), today + timedelta(days=1)):
        with pytest.raises(ValidationError, match="restarts between"):
            services.request_resume(actor=dpo, request=received, resumed_on=resumed_on)
    received.refresh_from_db()
    assert received.paused and received.paused_days == 0


def test_a_running_clock_has_nothing_to_restart(received, dpo, today):
    with pytest.raises(ValidationError, match="no pause to end"):
        services.request_resume(actor=dpo, request=received, resumed_on=today)


def test_the_reason_and_what_was_asked_are_required(received, dpo, today):
    with pytest.raises(ValidationError):
        _pause(dpo, received, today, detail="  ")
    with pytest.raises(ValidationError):
        _pause(dpo, received, today, reason="holiday")
    assert not RequestPause.objects.exists()


def test_an_answered_request_is_never_paused(family, make_request, dpo, today):
    request = make_request(dpo, school=False, person=None)
    services.request_gather(actor=dpo, request=request)
    services.request_release(actor=dpo, request=request)
    with pytest.raises(ValidationError, match="answered"):
        _pause(dpo, request, today)


def test_an_extension_while_stopped_counts_only_the_pauses_ended_and_the_open_one_on_restart(received, dpo, today):
    _pause(dpo, received, today - timedelta(days=18))
    services.request_resume(actor=dpo, request=received, resumed_on=today - timedelta(days=16))
    _pause(dpo, received, today - timedelta(days=4))
    extended_to = received.due_on + timedelta(days=20)
    received = services.request_extend(actor=dpo, request=received, extended_to=extended_to, reason="Complex.")
    assert received.deadline == extended_to + timedelta(days=2)
    services.request_resume(actor=dpo, request=received, resumed_on=today)
    received.refresh_from_db()
    assert received.deadline == extended_to + timedelta(days=6)
