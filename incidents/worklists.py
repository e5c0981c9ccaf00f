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
from django.db.models import BooleanField, Count, Q
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


def overdue_cutoffs(now=None) -> dict:
    """{stage: the instant before which a case that entered the stage is overdue}."""
    now = now or timezone.now()
    return {stage: now - timedelta(days=days) for stage, days in OVERDUE_AFTER_DAYS.items()}


def overdue_q(now=None) -> Q:
    """Cases that have sat in their stage longer than OVERDUE_AFTER_DAYS allows."""
    condition = Q(pk__in=[])
    for stage, cutoff in overdue_cutoffs(now).items():
        condition |= Q(stage=stage, stage_changed_at__lt=cutoff)
    # The stages named once more, outside the OR: an index on stage can then read the open cases only
    # (PostgreSQL otherwise filtered every case in the trust, open or closed, through the OR).
    return Q(stage__in=list(OVERDUE_AFTER_DAYS)) & condition


def overdue_by_school(queryset, now=None) -> dict[int, int]:
    """{school id: its overdue cases among `queryset`}, in one query that reads only overdue cases.

    One count per stage, each a range of the (stage, school, stage_changed_at) index, joined by
    UNION ALL: counting with overdue_q as a filter tested the OR on every open case, at twice the time.
    """
    counts = [queryset.filter(stage=stage, stage_changed_at__lt=cutoff).order_by().values("school_id")
              .annotate(late=Count("stage")).values("school_id", "late")
              for stage, cutoff in overdue_cutoffs(now).items()]
    result = {}
    for row in counts[0].union(*counts[1:], all=True):
        result[row["school_id"]] = result.get(row["school_id"], 0) + row["late"]
    return result


def with_overdue(queryset, now=None):
    """Annotate `is_overdue` (overdue_q as a column), for ordering a section's cases.

    Written as SQL rather than as Case(When(overdue_q())): the ORM took about a
    millisecond to compile that expression, once for every section of a home page.
    A simple CASE on the stage picks the stage's cut-off in one comparison, where an
    OR of (stage, date) pairs made the database test every pair on every row it sorted.
    """
    column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{{}}"
    stage, changed = column.format(connection.ops.quote_name("stage")), column.format(
        connection.ops.quote_name("stage_changed_at"))
    cutoffs, params = [], []
    for each_stage, cutoff in overdue_cutoffs(now).items():
        cutoffs.append("WHEN %s THEN %s")
        params += [each_stage.value, connection.ops.adapt_datetimefield_value(cutoff)]
    # A stage without a limit (closed) has no cut-off: NULL, and so not overdue.
    sql = f"COALESCE({changed} < CASE {stage} {' '.join(cutoffs)} END, FALSE)"
    # Constant column names and placeholders only; the values travel as parameters.
    return queryset.annotate(is_overdue=RawSQL(sql, params, output_field=BooleanField()))  # nosec B611


def is_overdue_row(row, now=None) -> bool:
    """Whether a case read as a row (its stage and stage_changed_at) is overdue: overdue_q in Python."""
    cutoff = overdue_cutoffs(now).get(row["stage"])
    return cutoff is not None and row["stage_changed_at"] < cutoff


def _most_urgent_first(queryset):
    return with_overdue(queryset).order_by("-is_overdue", "stage_changed_at", "pk")


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    empty: str
    # Roles at a school for which the section lists that school's cases.
    roles: frozenset
    # The stages the section's cases are at; none named: any stage.
    stages: tuple = ()
    # Narrows the user's cases at those schools and stages further: (user, queryset) -> queryset.
    narrow: Callable = field(default=lambda user, queryset: queryset)
    # Orders the section's cases, most urgent first, where the default (see `ordered`) does not
    # fit; it may annotate what `describe` and `overdue` read.
    order: Callable | None = None
    # Per item: (the case's row, a dict of its pk, reference, stage, stage_changed_at and school__name
    # and the section's own annotations) -> (url or None, note).
    describe: Callable = field(default=lambda row: (None, ""))
    # Per item: (the same row) -> whether it is shown as overdue.
    overdue: Callable = field(default=is_overdue_row)
    # A page that works through the section's items at once: (label, URL name), shown under the list.
    link: tuple = ()

    def applies_to(self, user) -> bool:
        return bool(school_ids_with_role(user, self.roles))

    def cases(self, user, incidents):
        """The section's cases among `incidents` (already scoped to what the user may read)."""
        at_schools = incidents.filter(school_id__in=sorted(school_ids_with_role(user, self.roles)))
        if len(self.stages) == 1:
            at_schools = at_schools.filter(stage=self.stages[0])
        elif self.stages:
            at_schools = at_schools.filter(stage__in=list(self.stages))
        return self.narrow(user, at_schools)

    def ordered(self, cases):
        """`cases` most urgent first: overdue first, then the longest waiting."""
        if self.order is not None:
            return self.order(cases)
        if len(self.stages) == 1:
            # Within one stage the overdue cases are its oldest: oldest first is the same order, and
            # the (school, stage, stage_changed_at) index holds it, so the database reads no more
            # of a large section than the rows it shows.
            return cases.order_by("stage_changed_at", "pk")
        return _most_urgent_first(cases)


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


def register_sections():
    """The home page's work lists that this app's records fill."""
    from conduct.roles import Role

    register_section(WorkSection(
        key="logged", title="Incidents you logged", empty="Nothing you logged is open.",
        roles=frozenset({Role.OFFICE}), stages=tuple(_open_stages()),
        narrow=lambda user, qs: qs.filter(logged_by=user),
    ))
    register_section(WorkSection(
        key="gather", title="Cases to gather information on or to speak to the parent about",
        empty="No cases waiting.", roles=frozenset({Role.SENIOR, Role.HEAD}),
        stages=(Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION),
    ))
