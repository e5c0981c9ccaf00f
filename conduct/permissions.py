"""Who may see and do what, per school. Imports neither incidents nor sanctions."""

from django.core.exceptions import PermissionDenied

from conduct.models import School, StaffRole
from conduct.roles import TRUST_READERS, Role


def _roles_by_school(user) -> dict:
    """{school_id or None: set(roles)}, cached on the user for the request."""
    if not user or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_conduct_roles", None)
    if cached is None:
        cached = {}
        for school_id, role in StaffRole.objects.filter(user=user).values_list("school_id", "role"):
            cached.setdefault(school_id, set()).add(role)
        user._conduct_roles = cached
    return cached


def forget_roles(user) -> None:
    if hasattr(user, "_conduct_roles"):
        del user._conduct_roles


def trust_wide_roles(user) -> set:
    """The user's roles that span the trust (trust, dpo, admin)."""
    return set(_roles_by_school(user).get(None, set()))


def is_trust_reader(user) -> bool:
    """Reads every school's cases: trust oversight and the data protection officer."""
    return bool(trust_wide_roles(user) & TRUST_READERS)


def has_trust_role(user, role) -> bool:
    return role in trust_wide_roles(user)


def roles_at(user, school) -> set:
    school_id = school if isinstance(school, int) else getattr(school, "pk", None)
    roles = set(_roles_by_school(user).get(school_id, set()))
    return roles


def readable_school_ids(user) -> set:
    if is_trust_reader(user):
        return set(School.objects.values_list("pk", flat=True))
    return {sid for sid in _roles_by_school(user) if sid is not None}


def can_read_school(user, school) -> bool:
    school_id = school if isinstance(school, int) else school.pk
    return school_id in readable_school_ids(user)


def has_role(user, school, roles) -> bool:
    return bool(roles_at(user, school) & set(roles))


def require_role(user, school, roles, action: str = "do this") -> None:
    """Raise PermissionDenied unless the user holds one of `roles` at `school`."""
    if not has_role(user, school, roles):
        names = ", ".join(Role(r).label for r in sorted(roles))
        raise PermissionDenied(f"Only {names} at {school} may {action}.")


def require_school_role(user, school, roles, action: str = "do this") -> None:
    """Raise PermissionDenied unless the user works at `school` and holds one of `roles` there."""
    if not can_read_school(user, school):
        # Someone probing another school's ids learns nothing about it.
        raise PermissionDenied("You do not work at that school.")
    require_role(user, school, roles, action)


def school_ids_with_role(user, roles) -> set:
    """Ids of the schools where the user holds one of `roles` (no query: the roles are cached)."""
    return {sid for sid, rs in _roles_by_school(user).items() if sid and rs & set(roles)}


def schools_with_role(user, roles):
    return School.objects.filter(pk__in=school_ids_with_role(user, roles))


def all_roles(user) -> set:
    return set().union(*_roles_by_school(user).values()) if _roles_by_school(user) else set()


def is_trust_admin(user) -> bool:
    """Sets up schools and staff: a superuser or the trust-wide administrator role."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_trust_role(user, Role.ADMIN)
