"""A clock the demo can set, so its cases happen over months rather than all at once.

The services stamp `django.utils.timezone.now()`, and model fields default to
that same function (bound when the models were defined, so patching the name
`timezone.now` would not reach them). Both end up calling `datetime.now()` in
django.utils.timezone's own namespace, so that is the one name replaced here,
as freezegun does: with a subclass whose `now()` answers the demo's time and
which still counts every real datetime as an instance (Django's
template_localtime checks `isinstance(value, datetime)`).
"""

from contextlib import contextmanager
from datetime import datetime as real_datetime
from datetime import timezone as dt_timezone
from unittest import mock


class _Meta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, real_datetime)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, real_datetime)


class DemoClock:
    """`with clock.running(): clock.set(when)`; every timezone.now() inside answers `when`."""

    def __init__(self):
        self.current = None

    def set(self, when: real_datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("The demo clock needs an aware datetime.")
        self.current = when.astimezone(dt_timezone.utc)

    @contextmanager
    def running(self):
        clock = self

        class FrozenDatetime(real_datetime, metaclass=_Meta):
            @classmethod
            def now(cls, tz=None):
                if clock.current is None:
                    return real_datetime.now(tz)
                # Real datetimes out, never this subclass: the database adapters expect them.
                return clock.current.astimezone(tz) if tz else clock.current.astimezone().replace(tzinfo=None)

        with mock.patch("django.utils.timezone.datetime", FrozenDatetime):
            yield self
        self.current = None
