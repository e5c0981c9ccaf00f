from conduct.permissions import all_roles, is_trust_admin
from conduct.roles import Role


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    roles = all_roles(user)
    return {
        "nav_roles": roles,
        "nav_can_log": bool(roles & {Role.OFFICE, Role.SENIOR, Role.HEAD}),
        "nav_role_labels": sorted(Role(r).label for r in roles),
        # Superusers too, who may hold no role at all.
        "nav_is_admin": is_trust_admin(user),
    }
