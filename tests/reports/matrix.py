"""The reports' rows of the permission matrix (tests/conduct/test_permission_matrix.py reads them).

Office staff have no reports: 404, as for a page that is not theirs. Every page is
read-only: POST is refused (405) before anything else. The trust reads every school,
so its board report needs `school=`: without it the answer is 400.
"""

ROLES = ("office", "senior", "head", "chair", "trust")


def _row(statuses: str) -> dict:
    values = statuses.split()
    assert len(values) == len(ROLES), statuses
    return dict(zip(ROLES, (int(v) for v in values), strict=True))


def E(get: str, post: str) -> dict:  # noqa: N802 - reads as a table
    return {"GET": _row(get), "POST": _row(post)}


#                               office senior head chair trust
EXPECTATIONS = {
    "reports:dashboard": E(get="404 200 200 200 200", post="405 405 405 405 405"),
    "reports:board_pdf": E(get="404 200 200 200 400", post="405 405 405 405 405"),
    "reports:incidents_csv": E(get="404 200 200 200 200", post="405 405 405 405 405"),
    # Trust-wide readers only (trust, and the DPO as trust): the course of conduct across the trust.
    "reports:course_of_conduct": E(get="404 404 404 404 200", post="405 405 405 405 405"),
}
OBJECTS = {}
POST_DATA = {}
