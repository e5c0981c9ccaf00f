"""The privacy app's rows of the permission matrix (tests/conduct/test_permission_matrix.py).

Statuses for office senior head chair trust at their own school, then the
data protection officer's own (GET POST): dpo differs from trust on every
privacy page. Office, senior and chair staff are not even admitted to a
request (404, as for a record they may not see); the pages without a record
refuse them with 403.
"""

ROLES = ("office", "senior", "head", "chair", "trust")


def _row(statuses):
    return dict(zip(ROLES, (int(v) for v in statuses.split()), strict=True))


def E(get, post, dpo):  # noqa: N802 - reads as a table
    row = {"GET": _row(get), "POST": _row(post)}
    row["GET"]["dpo"], row["POST"]["dpo"] = (int(v) for v in dpo.split())
    return row


#                                                office senior head chair trust          dpo GET POST
EXPECTATIONS = {
    "privacy:request_list": E(get="403 403 200 403 403", post="405 405 405 405 405", dpo="200 405"),
    "privacy:access_export": E(get="403 403 403 403 403", post="405 405 405 405 405", dpo="200 405"),
}


def _person(build, school):
    return {"pk": build.person(school=school).pk}


OBJECTS = {
    "privacy:access_export": _person,
}

POST_DATA = {}
