"""Who looked at which record: a hook at the bottom floor.

The pages that show personal data (incidents and sanctions) call
`record_view`; the privacy app, which they may not import, registers the
recorder that writes its access log. With no recorder registered the call
does nothing, so the lower apps work on their own.
"""

_RECORDERS = []


def register_view_recorder(recorder) -> None:
    """`recorder(user, kind, obj, school_id)` is called for every recorded view."""
    if recorder not in _RECORDERS:
        _RECORDERS.append(recorder)


def record_view(user, kind: str, obj, school_id) -> None:
    """Note that `user` saw `obj` (kind: case, person, letter, evidence, case_summary, representation)."""
    for recorder in _RECORDERS:
        recorder(user, kind, obj, school_id)
