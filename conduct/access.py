"""Who looked at which record: a hook at the bottom floor.

The pages that show personal data (incidents and sanctions) call
`record_view`; the privacy app, which they may not import, registers the
recorder that writes its access log. With no recorder registered the call
does nothing, so the lower apps work on their own.
"""

_RECORDERS = []
_LOOKUP_RECORDERS = []


def register_view_recorder(recorder) -> None:
    """`recorder(user, kind, obj, school_id)` is called for every recorded view."""
    if recorder not in _RECORDERS:
        _RECORDERS.append(recorder)


def record_view(user, kind: str, obj, school_id) -> None:
    """Note that `user` saw `obj` (kind: case, person, letter, evidence, case_summary, representation)."""
    for recorder in _RECORDERS:
        recorder(user, kind, obj, school_id)


def register_lookup_recorder(recorder) -> None:
    """`recorder(user, kind, school_id, detail, person_ids)` is called for every recorded look-up."""
    if recorder not in _LOOKUP_RECORDERS:
        _LOOKUP_RECORDERS.append(recorder)


def record_lookup(user, kind: str, school_id, detail: str, person_ids=()) -> None:
    """Note a look-up that is not one record's page (kind: visitor_check, register_export): what was asked or
    given (`detail`) and the people whose records answered it."""
    for recorder in _LOOKUP_RECORDERS:
        recorder(user, kind, school_id, detail, list(person_ids))
