"""Signing in, and reading the signed-in user with their roles in one query.

Every page needs the user's roles (conduct.permissions), so the query that
reads the user on each request also reads them, as "school:role" pairs joined
into one string, instead of a second query after it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from conduct.db_functions import JoinedText
from conduct.models import StaffRole

TRUST_WIDE = "-"  # stands for the empty school of a trust-wide role in the joined pairs


def _role_pairs():
    pair = Concat(Coalesce(Cast("school_id", CharField()), Value(TRUST_WIDE)), Value(":"), "role",
                  output_field=CharField())
    joined = (StaffRole.objects.filter(user=OuterRef("pk")).order_by().values("user")
              .annotate(pairs=JoinedText(pair, Value(","))).values("pairs"))
    return Subquery(joined, output_field=CharField())


def roles_from_pairs(pairs: str | None) -> dict:
    """{school_id or None: set(roles)} from "3:head,-:dpo" (school ids are integers; roles hold no ':' or ',')."""
    roles = {}
    for pair in filter(None, (pairs or "").split(",")):
        school, role = pair.split(":", 1)
        roles.setdefault(None if school == TRUST_WIDE else int(school), set()).add(role)
    return roles


class RolesModelBackend(ModelBackend):
    """Django's ModelBackend, whose get_user (run on every request) also reads the user's roles."""

    def get_user(self, user_id):
        user = (get_user_model()._default_manager.annotate(conduct_role_pairs=_role_pairs())
                .filter(pk=user_id).first())
        if user is None or not self.user_can_authenticate(user):
            return None
        user._conduct_roles = roles_from_pairs(user.conduct_role_pairs)
        return user
