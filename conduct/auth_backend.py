"""Signing in, and reading the signed-in user with their roles in one query.

Every page needs the user's roles (conduct.permissions), so the query that
reads the user on each request also reads them, as "school:role" pairs joined
into one string, instead of a second query after it.

That query is built by the ORM once per database and then only run: building
it (a subquery, a cast, a join of strings) took four times as long as running
it, and it runs on every request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
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
        user = _user_with_role_pairs(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        user._conduct_roles = roles_from_pairs(user.conduct_role_pairs)
        return user


# An id no user can have, to find where the user's id goes among the compiled query's parameters.
_ANY_USER = -1_879_048_193  # (within a 32-bit column: the ORM compiles an id out of range to no query)
_compiled = {}  # database alias: (sql, params, index of the user's id in params)


def _user_with_role_pairs(user_id):
    """The user with that id and their roles joined into conduct_role_pairs, or None."""
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = router.db_for_read(model)
    lowest, highest = connections[alias].ops.integer_field_range(model._meta.pk.get_internal_type())
    if isinstance(user_id, int) and not lowest <= user_id <= highest:
        return None  # the id column cannot hold it (the ORM answers such a lookup with nothing too)
    if alias not in _compiled:
        query = model._default_manager.using(alias).annotate(conduct_role_pairs=_role_pairs()).filter(
            pk=_ANY_USER).order_by()[:1].query
        sql, params = query.sql_with_params()
        _compiled[alias] = sql, list(params), params.index(_ANY_USER)
    sql, params, user_at = _compiled[alias]
    params = [*params[:user_at], user_id, *params[user_at + 1:]]
    return next(iter(model._default_manager.db_manager(alias).raw(sql, params)), None)
