"""Ids, whole numbers and dates read from a URL's query or a form, always within bounds.

Every view and form that reads one goes through here, so no value a person can
type reaches Python's dates or the database's integers out of range (a year
10000, a 20-digit id, "²", which str.isdigit() accepts and int() refuses):
either it is read, or it is None, or the request is refused with a 400 that
says what was wrong. Form fields get the same bounds as their own error.
"""

from datetime import date

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponseBadRequest
from django.views.defaults import bad_request as django_bad_request

# A sane window for any date the application records or filters on.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
# Primary keys are 64-bit signed integers on SQLite and PostgreSQL.
ID_MAX = 2**63 - 1
# A value longer than any id or date is not read at all.
_LONGEST = 40


def parse_int(raw, *, low: int, high: int) -> int | None:
    """The ASCII whole number `raw` if it lies within low..high, else None."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > _LONGEST:
        return None
    digits = text[1:] if text[0] in "+-" else text
    # isascii first: "²" and other Unicode digits pass isdigit() but are no number here.
    if not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(raw) -> int | None:
    """A primary key from text, or None: 1..2**63-1, ASCII digits only."""
    return parse_int(raw, low=1, high=ID_MAX)


def parse_day(raw) -> date | None:
    """An ISO date (YYYY-MM-DD) within DATE_MIN..DATE_MAX, or None."""
    if not isinstance(raw, str) or len(raw.strip()) != 10 or not raw.strip().isascii():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


class BadParameter(BadRequest):
    """A query parameter that is not what the page reads: a 400 whose message the person may see."""


def _bad(name, what):
    return BadParameter(f"“{name}” must be {what}.")


def query_id(query, name: str, *, required: bool = False) -> int | None:
    """The id in query[name]: None when absent (or an error when required), a 400 when it is not an id."""
    raw = query.get(name, "")
    if raw == "" and not required:
        return None
    value = parse_id(raw)
    if value is None:
        raise _bad(name, "a record's number")
    return value


def query_int(query, name: str, *, low: int, high: int, default: int | None = None) -> int | None:
    """The whole number in query[name] within low..high; `default` when absent; a 400 when not."""
    raw = query.get(name, "")
    if raw == "":
        return default
    value = parse_int(raw, low=low, high=high)
    if value is None:
        raise _bad(name, f"a whole number from {low} to {high}")
    return value


def query_day(query, name: str) -> date | None:
    """The date in query[name]; None when absent; a 400 when not a date in the window."""
    raw = query.get(name, "")
    if raw == "":
        return None
    value = parse_day(raw)
    if value is None:
        raise _bad(name, f"a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}")
    return value


def soft_id(query, name: str) -> int | None:
    """The id in query[name], or None for anything else: for optional hints such as a preselected school."""
    return parse_id(query.get(name, ""))


def query_text(query, name: str, *, max_length: int = 200) -> str:
    """Free text from the query, stripped and cut to max_length; NUL, which PostgreSQL refuses, removed."""
    value = query.get(name, "")
    return value.replace("\x00", "").strip()[:max_length] if isinstance(value, str) else ""


def bad_request(request, exception=None):
    """handler400: a parameter this module refused says what was wrong; any other 400 stays Django's page
    (its message may name internals, such as the host header)."""
    if isinstance(exception, BadParameter):
        return HttpResponseBadRequest(f"{exception}\n", content_type="text/plain; charset=utf-8")
    return django_bad_request(request, exception)


# Form fields ------------------------------------------------------------------------------


def _date_bounds(value):
    if value is not None and not (DATE_MIN <= value <= DATE_MAX):
        raise ValidationError(
            f"Enter a date between {DATE_MIN.day} {DATE_MIN:%B %Y} and {DATE_MAX.day} {DATE_MAX:%B %Y}.",
            code="date_range")


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside DATE_MIN..DATE_MAX as a form error."""

    default_validators = [_date_bounds]


class BoundedDateTimeField(forms.DateTimeField):
    """A DateTimeField whose date lies within DATE_MIN..DATE_MAX (year 9999 would overflow on shifting zones)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            _date_bounds(moment.date())
        return moment


class BoundedIntegerField(forms.IntegerField):
    """An IntegerField with bounds always set (default 0..2**31-1), so no value overflows a database column."""

    def __init__(self, *, min_value=0, max_value=2**31 - 1, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)



def _is_id(value) -> bool:
    return parse_id(str(value)) is not None


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose value must be an id before it is queried: SQLite cannot even
    compare an integer beyond 64 bits and raises instead."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if not _is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
