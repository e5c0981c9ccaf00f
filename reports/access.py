"""Who may read reports, and on which schools' cases.

Heads, Chairs and senior leaders read their own school's reports; trust-wide
readers (trust, dpo) read every school's. Office staff and anyone else get a
404, as for a record they may not see: a report page is not even admitted to.
"""

from django.http import Http404

from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids, school_ids_with_role
from conduct.roles import Role
from incidents.selectors import incidents_for

REPORT_ROLES = frozenset({Role.SENIOR, Role.HEAD, Role.CHAIR})


def report_school_ids(user) -> set:
    if is_trust_reader(user):
        return readable_school_ids(user)
    return school_ids_with_role(user, REPORT_ROLES)


def may_see_reports(user) -> bool:
    return bool(is_trust_reader(user) or school_ids_with_role(user, REPORT_ROLES))


def require_report_schools(user) -> set:
    school_ids = report_school_ids(user)
    if not school_ids:
        raise Http404("No reports for this account.")
    return school_ids


def report_schools(school_ids):
    return School.objects.filter(pk__in=sorted(school_ids)).order_by("name")


def named_school_ids(user) -> set:
    """Schools whose people the user may see named in a report: where they hold a role of the school's own.

    Trust oversight reads the figures, not who the repeat subjects are."""
    return school_ids_with_role(user, REPORT_ROLES)


def report_incidents(user, school_ids):
    """The incidents a report counts: what the incident list shows the user, less the schools
    where they are only office staff (a head at one school may be office staff at another)."""
    incidents = incidents_for(user)
    if is_trust_reader(user):
        return incidents
    return incidents.filter(school_id__in=sorted(school_ids))
