"""conduct.params: ids, whole numbers and dates from a query or a form, always within bounds."""

from datetime import date

import pytest
from django.core.exceptions import BadRequest
from django.http import QueryDict

from conduct.params import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    parse_day,
    parse_id,
    query_day,
    query_id,
    query_int,
    query_text,
    soft_id,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), (" 42 ", 42), (str(2**63 - 1), 2**63 - 1), (str(2**63), None), ("99999999999999999999", None),
    ("0", None), ("-1", None), ("²", None), ("١٢", None), ("abc", None), ("", None), ("1" * 5000, None),
    ("1\x00", None), (None, None),
])
def test_an_id_is_ascii_digits_from_1_to_2_63_minus_1(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-02-29", date(2024, 2, 29)), ("1900-01-01", date(1900, 1, 1)), ("2100-12-31", date(2100, 12, 31)),
    ("1899-12-31", None), ("2101-01-01", None), ("9999-12-31", None), ("0001-01-01", None), ("10000-01-01", None),
    ("2024-02-30", None), ("²024-01-01", None), ("20240101", None), ("", None),
])
def test_a_day_lies_between_1900_and_2100(raw, expected):
    assert parse_day(raw) == expected


def test_query_readers_answer_none_when_absent_and_400_when_wrong():
    query = QueryDict("person=abc&n=7&d=9999-12-31&ok=5&q=a%00b+")
    assert query_id(query, "missing") is None
    assert query_id(query, "ok") == 5
    assert query_int(query, "n", low=1, high=10) == 7
    assert query_int(query, "missing", low=1, high=10, default=3) == 3
    assert soft_id(query, "person") is None
    assert query_text(query, "q") == "ab"
    for read in (lambda: query_id(query, "person"), lambda: query_int(query, "n", low=8, high=10),
                 lambda: query_day(query, "d")):
        with pytest.raises(BadRequest) as refused:
            read()
        assert "must be" in str(refused.value)


@pytest.mark.parametrize("field", [BoundedDateField(), BoundedDateTimeField()])
def test_form_dates_outside_the_window_are_a_form_error(field):
    from django.core.exceptions import ValidationError

    value = "9999-12-31" if isinstance(field, BoundedDateField) and not isinstance(field, BoundedDateTimeField) \
        else "9999-12-31 10:00"
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.messages == ["Enter a date between 1 January 1900 and 31 December 2100."]


def test_an_integer_field_is_always_bounded():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        BoundedIntegerField().clean("99999999999999999999")
    assert BoundedIntegerField(min_value=1, max_value=12).clean("12") == 12
