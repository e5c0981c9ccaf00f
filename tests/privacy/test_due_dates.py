"""A request is due one calendar month after receipt, and may be extended once by two months at most."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from privacy import services


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 1, 3), date(2026, 2, 3)),
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 31), date(2028, 2, 29)),
    (date(2026, 12, 15), date(2027, 1, 15)),
])
def test_one_calendar_month(received, due):
    assert services.due_date(received) == due


def test_extended_once_within_two_months_with_a_reason(family, make_request, personas):
    request = make_request()
    head = personas["head"]
    with pytest.raises(ValidationError):
        services.request_extend(actor=head, request=request, extended_to=request.due_on + timedelta(days=70),
                                reason="Complex.")
    with pytest.raises(ValidationError):
        services.request_extend(actor=head, request=request, extended_to=request.due_on + timedelta(days=30),
                                reason=" ")
    request = services.request_extend(actor=head, request=request, extended_to=request.due_on + timedelta(days=30),
                                      reason="Many records across two schools.")
    assert request.deadline == request.extended_to
    assert request.events.last().kind == "extended"
    with pytest.raises(ValidationError, match="once"):
        services.request_extend(actor=head, request=request, extended_to=request.due_on + timedelta(days=40),
                                reason="Again.")
