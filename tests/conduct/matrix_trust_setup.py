"""Permission matrix rows for the trust set-up pages (conduct/setup).

Only a trust administrator or a superuser may open them: none of the matrix's
personas is either, so every one gets a 404, on GET and POST alike (the
permission check runs before the method check), for their own school's
records as for another's. The administrator's own answers are in
tests/conduct/test_setup_*.py.
"""

from datetime import date

from conduct.models import AuthorisedPerson

ROLES = ("office", "senior", "head", "chair", "trust")
# The matrix's format ({"GET": {role: status}, "POST": ...}), written out here rather than imported
# from test_permission_matrix, which imports this file while it is still being loaded.
NOBODY = {method: dict.fromkeys(ROLES, 404) for method in ("GET", "POST")}
NAMES = ["index", "school_new", "trust_complaint_days", "school_edit", "authorised_people", "authorised_person_end",
         "staff_list",
         "staff_invite", "staff_import", "staff_import_confirm", "staff_detail", "staff_reinvite",
         "staff_authenticators_reset", "staff_deactivate", "role_revoke"]


def _member(build, school):
    return {"pk": (build.p["office"] if school == build.school else build.p["other_office"]).pk}


def _authorised(build, school):
    person = AuthorisedPerson.objects.create(school=school, name="Sam Site", role="Site manager",
                                             authorised_from=date(2026, 9, 1), added_by=build.p["head"])
    return {"pk": school.pk, "ap_pk": person.pk}


def _role(build, school):
    member = build.p["office"] if school == build.school else build.p["other_office"]
    return {"pk": member.staff_roles.get().pk}


EXPECTATIONS = {f"setup:{name}": NOBODY for name in NAMES}
OBJECTS = {
    "setup:school_edit": lambda build, school: {"pk": school.pk},
    "setup:trust_complaint_days": lambda build, school: {"pk": school.trust_id},
    "setup:authorised_people": lambda build, school: {"pk": school.pk},
    "setup:authorised_person_end": _authorised,
    "setup:staff_detail": _member,
    "setup:staff_reinvite": _member,
    "setup:staff_authenticators_reset": _member,
    "setup:staff_deactivate": _member,
    "setup:role_revoke": _role,
}
POST_DATA = {}
