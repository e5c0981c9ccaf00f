"""Work-list sections: named, bounded views of the cases waiting for someone.

The home page shows each section's most urgent few (overdue first, then the
oldest), chosen, ordered and limited in SQL, with the section's total; the
incident list applies the same section by name (`?work=<key>`), so "see all"
shows exactly the section's cases. Apps above incidents register their own
sections (sanctions: proposals, the Chair, decisions, bans), so incidents
never imports them.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from conduct.permissions import school_ids_with_role
from incidents.workflow import Stage

# How long a case may sit in a stage before it is shown as overdue.
OVERDUE_AFTER_DAYS = {
    Stage.REPORTED: 2,
    Stage.GATHERING: 10,
    Stage.CONVERSATION: 10,
    Stage.PROPOSED: 5,
    Stage.AWAITING_CHAIR: 5,
    Stage.DECIDED: 20,
}

# The most a section shows on the home page; the rest is one click away.
SECTION_LIMIT = 15


def overdue_q(now=None) -> Q:
    """Cases that have sat in their stage longer than OVERDUE_AFTER_DAYS allows."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    for stage, days in OVERDUE_AFTER_DAYS.items():
        condition |= Q(stage=stage, stage_changed_at__lt=now - timedelta(days=days))
    # The stages named once more, outside the OR: an index on stage can then read the open cases only
    # (PostgreSQL otherwise filtered every case in the trust, open or closed, through the OR).
    return Q(stage__in=list(OVERDUE_AFTER_DAYS)) & condition


def with_overdue(queryset, now=None):
    """Annotate `is_overdue` (overdue_q as a column), for ordering a section's cases.

    Written as SQL rather than as Case(When(overdue_q())): the ORM took about a
    millisecond to compile that expression, once for every section of a home page.
    """
    now = now or timezone.now()
    column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{{}}"
    stage, changed = column.format(connection.ops.quote_name("stage")), column.format(
        connection.ops.quote_name("stage_changed_at"))
    conditions, params = [], []
    for each_stage, days in OVERDUE_AFTER_DAYS.items():
        conditions.append(f"({stage} = %s AND {changed} < %s)")
        params += [each_stage.value, connection.ops.adapt_datetimefield_value(now - timedelta(days=days))]
    # Constant column names and placeholders only; the values travel as parameters.
    return queryset.annotate(is_overdue=RawSQL("(" + " OR ".join(conditions) + ")", params,  # nosec B611
                                               output_field=BooleanField()))


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    empty: str
    # Roles at a school for which the section lists that school's cases.
    roles: frozenset
    # Narrows the user's cases at those schools to the section's: (user, queryset) -> queryset.
    narrow: Callable
    # Orders the section's cases, most urgent first, and annotates `is_overdue`.
    order: Callable = field(default=lambda queryset: with_overdue(queryset).order_by("-is_overdue",
                                                                                      "stage_changed_at", "pk"))
    # Per item: (incident) -> (url or None, note).
    describe: Callable = field(default=lambda incident: (None, ""))

    def applies_to(self, user) -> bool:
        return bool(school_ids_with_role(user, self.roles))

    def cases(self, user, incidents):
        """The section's cases among `incidents` (already scoped to what the user may read)."""
        return self.narrow(user, incidents.filter(school_id__in=sorted(school_ids_with_role(user, self.roles))))


_SECTIONS: dict[str, WorkSection] = {}


def register_section(section: WorkSection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[WorkSection]:
    return list(_SECTIONS.values())


def get_section(key: str) -> WorkSection | None:
    return _SECTIONS.get(key)


def section_choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in _SECTIONS.values()]


def _open_stages():
    return [s for s in Stage.values if s != Stage.CLOSED]


def _register_own_sections():
    from conduct.roles import Role

    register_section(WorkSection(
        key="logged", title="Incidents you logged", empty="Nothing you logged is open.",
        roles=frozenset({Role.OFFICE}),
        narrow=lambda user, qs: qs.filter(logged_by=user, stage__in=_open_stages()),
    ))
    register_section(WorkSection(
        key="gather", title="Cases to gather information on or to speak to the parent about",
        empty="No cases waiting.", roles=frozenset({Role.SENIOR, Role.HEAD}),
        narrow=lambda user, qs: qs.filter(stage__in=[Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION]),
    ))
