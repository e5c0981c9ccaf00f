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
from django.db.models import BooleanField, Count, DateField, DateTimeField, IntegerField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from conduct.permissions import school_ids_with_role
from conduct.prepared import Param, column_in, ids_param
from incidents.models import Incident
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


class SectionValues:
    """What a section's query varies with, for one view: the user, the time, the schools and the cases
    already shown on the page (the last two for the home page's prepared queries)."""

    def __init__(self, user=None, now=None, school_ids=(), shown=()):
        self.user, self.now = user, now or timezone.now()
        self.school_ids, self.shown = tuple(school_ids), tuple(sorted(shown))

    @property
    def user_id(self):
        return self.user.pk

    def today(self, days=0):
        return timezone.localdate(self.now) + timedelta(days=days)

    def before_now(self, days):
        return self.now - timedelta(days=days)


class DeferredValues:
    """SectionValues' values as Params, each taken from the SectionValues a prepared query runs with:
    a section built with these is compiled once a process (conduct.prepared), not once a view."""

    user_id = Param(lambda run: run.user_id, IntegerField())

    def today(self, days=0):
        return Param(lambda run: run.today(days), DateField())

    def before_now(self, days):
        return Param(lambda run: run.before_now(days), DateTimeField())


DEFERRED = DeferredValues()


def with_overdue(queryset, now=None, at=None):
    """Annotate `is_overdue` (overdue_q as a column), for ordering a section's cases.

    Written as SQL rather than as Case(When(overdue_q())): the ORM took about a
    millisecond to compile that expression, once for every section of a home page.
    A simple CASE on the stage picks the stage's cut-off in one comparison, where an
    OR of (stage, date) pairs made the database test every pair on every row it sorted.
    `at` (SectionValues or DEFERRED) gives the time, else `now`.
    """
    column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{{}}"
    stage, changed = column.format(connection.ops.quote_name("stage")), column.format(
        connection.ops.quote_name("stage_changed_at"))
    at = at or SectionValues(now=now)
    cutoffs, params = [], []
    for each_stage, days in OVERDUE_AFTER_DAYS.items():
        cutoff = at.before_now(days)
        cutoffs.append("WHEN %s THEN %s")
        params += [each_stage.value, cutoff.placeholder if isinstance(cutoff, Param)
                   else connection.ops.adapt_datetimefield_value(cutoff)]
    # A stage without a limit (closed) has no cut-off: NULL, and so not overdue.
    sql = f"COALESCE({changed} < CASE {stage} {' '.join(cutoffs)} END, FALSE)"
    # Constant column names and placeholders only; the values travel as parameters.
    return queryset.annotate(is_overdue=RawSQL(sql, params, output_field=BooleanField()))  # nosec B611


def is_overdue_row(row, now=None) -> bool:
    """Whether a case read as a row (its stage and stage_changed_at) is overdue: overdue_q in Python."""
    cutoff = overdue_cutoffs(now).get(row["stage"])
    return cutoff is not None and row["stage_changed_at"] < cutoff


# What a case at each stage needs next, said to the person whose list it is on.
NEXT_STEP = {
    Stage.REPORTED: "Record the first statement",
    Stage.GATHERING: "Take the statements, then record the conversation with the parent",
    Stage.CONVERSATION: "Propose a response",
    Stage.PROPOSED: "Decide the response",
    Stage.AWAITING_CHAIR: "The Chair's sign-off",
    Stage.DECIDED: "Complete the actions, then close the case",
    Stage.CLOSED: "",
}

# What a case at each stage is waiting for, said to someone who does not do it (the office that
# logged it): read after "Next:".
WAITING_FOR = {
    Stage.REPORTED: "A senior leader records the first statement",
    Stage.GATHERING: "A senior leader gathers the statements and speaks to the parent",
    Stage.CONVERSATION: "A senior leader proposes a response",
    Stage.PROPOSED: "The head's decision",
    Stage.AWAITING_CHAIR: "The Chair's sign-off",
    Stage.DECIDED: "The decided actions are under way",
    Stage.CLOSED: "",
}

# How a stage reads in "Overdue: gathering for 16 days" and in the folded counts ("4 gathering").
STAGE_DOING = {
    Stage.REPORTED: "reported",
    Stage.GATHERING: "gathering",
    Stage.CONVERSATION: "in conversation",
    Stage.PROPOSED: "proposed",
    Stage.AWAITING_CHAIR: "with the Chair",
    Stage.DECIDED: "decided",
    Stage.CLOSED: "closed",
}


def next_step_by_stage(row) -> str:
    return NEXT_STEP.get(row["stage"], "")


def waiting_for_by_stage(row) -> str:
    return WAITING_FOR.get(row["stage"], "")


def overdue_by_stage_label(row, now=None) -> str:
    """"Overdue: gathering for 16 days", from the row's stage and stage_changed_at."""
    days = ((now or timezone.now()) - row["stage_changed_at"]).days
    return f"Overdue: {STAGE_DOING.get(row['stage'], 'open')} for {days} day{'' if days == 1 else 's'}"


def _most_urgent_first(at, queryset):
    return with_overdue(queryset, at=at).order_by("-is_overdue", "stage_changed_at", "pk")


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    empty: str
    # Roles at a school for which the section lists that school's cases.
    roles: frozenset
    # The stages the section's cases are at; none named: any stage.
    stages: tuple = ()
    # Narrows the user's cases at those schools and stages further: (at, queryset) -> queryset, `at` a
    # SectionValues or DEFERRED, from which it reads the user and the date (never timezone or a user of its own).
    narrow: Callable = field(default=lambda at, queryset: queryset)
    # Orders the section's cases, most urgent first, where the default (see `ordered`) does not
    # fit; it may annotate what `describe` and `overdue` read: (at, queryset) -> queryset.
    order: Callable | None = None
    # Per item: (the case's row, a dict of its pk, reference, stage, stage_changed_at and school__name
    # and the section's own annotations) -> (url or None, note).
    describe: Callable = field(default=lambda row: (None, ""))
    # Per item: (the same row) -> whether it is shown as overdue.
    overdue: Callable = field(default=is_overdue_row)
    # A page that works through the section's items at once: (label, URL name), shown under the list.
    link: tuple = ()
    # Per item: (the same row) -> what the case needs next ("Decide the response").
    next_step: Callable = field(default=next_step_by_stage)
    # Per item: (the same row) -> the page where that next step is taken, when that page shows the case
    # as well (the Chair's consultation, the head's decision): "Next:" links there, a page sooner.
    next_url: Callable | None = None
    # Per overdue item: (the same row) -> how it is overdue ("Overdue: gathering for 16 days").
    overdue_label: Callable = field(default=overdue_by_stage_label)
    # The roles whose own work the section is; none named: every role in `roles`. The others in
    # `roles` (the head, for the senior leaders' lists) see it folded into a count.
    owners: frozenset = frozenset()
    # Where the section comes among its owner's lists: the most pressing (lowest) first.
    rank: int = 50
    # How the folded count names the cases: (one, many), "{n} proposal to revise".
    noun: tuple = ("case", "cases")

    def applies_to(self, user) -> bool:
        return bool(school_ids_with_role(user, self.roles))

    def is_own(self, user) -> bool:
        """Whether the user holds a role whose own work the section is (else it is shown as a count)."""
        return bool(school_ids_with_role(user, self.owners or self.roles))

    def school_ids(self, user) -> list[int]:
        """The schools whose cases the section lists for the user: where they hold one of its roles."""
        return sorted(school_ids_with_role(user, self.roles))

    def cases(self, user, incidents):
        """The section's cases among `incidents` (already scoped to what the user may read)."""
        return self._narrowed(SectionValues(user), incidents, self.school_ids(user))

    def deferred_cases(self, one_school: bool):
        """The section's cases, built with Params (DEFERRED) for a prepared query run with SectionValues
        holding the schools (one, or several). Only the section's scope limits them: it is the reading rule
        itself (a role at the school), so the home page needs no second `incidents_for`."""
        if one_school:
            # "=" for the one school most users work at: the index then reads the section in its order.
            at_schools = Incident.objects.filter(school_id=Param(lambda run: run.school_ids[0], IntegerField()))
        else:
            schools = ids_param(lambda run: run.school_ids)
            at_schools = Incident.objects.filter(column_in(Incident, "school_id", schools))
        return self._narrowed(DEFERRED, at_schools)

    def _narrowed(self, at, incidents, school_ids=None):
        """`incidents` at the section's stages, narrowed, and at `school_ids` where given."""
        scope = {}
        if school_ids is not None:
            # One filter, and "=" for the one school most users work at.
            scope = {"school_id": school_ids[0]} if len(school_ids) == 1 else {"school_id__in": school_ids}
        if len(self.stages) == 1:
            scope["stage"] = self.stages[0]
        elif self.stages:
            scope["stage__in"] = list(self.stages)
        return self.narrow(at, incidents.filter(**scope))

    def ordered(self, cases, at=None):
        """`cases` most urgent first: overdue first, then the longest waiting."""
        at = at or SectionValues()
        if self.order is not None:
            return self.order(at, cases)
        if len(self.stages) == 1:
            # Within one stage the overdue cases are its oldest: oldest first is the same order, and
            # the (school, stage, stage_changed_at) index holds it, so the database reads no more
            # of a large section than the rows it shows.
            return cases.order_by("stage_changed_at", "pk")
        return _most_urgent_first(at, cases)


_SECTIONS: dict[str, WorkSection] = {}


def register_section(section: WorkSection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[WorkSection]:
    """Every section, most pressing first (by rank, then in the order registered)."""
    return sorted(_SECTIONS.values(), key=lambda section: section.rank)


def get_section(key: str) -> WorkSection | None:
    return _SECTIONS.get(key)


def section_choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in _SECTIONS.values()]


def _open_stages():
    return [s for s in Stage.values if s != Stage.CLOSED]


def register_sections():
    """The home page's work lists that this app's records fill."""
    from conduct.roles import Role

    # The office follows what it logged; the senior leaders do the next step, so the office's
    # rows say what the case is waiting for rather than what to do.
    register_section(WorkSection(
        key="logged", title="Incidents you logged", empty="Nothing you logged is open.",
        roles=frozenset({Role.OFFICE}), stages=tuple(_open_stages()),
        narrow=lambda at, qs: qs.filter(logged_by=at.user_id), next_step=waiting_for_by_stage, rank=80,
    ))
    # The senior leaders' own list; the head sees it as counts (the deputy does this work).
    register_section(WorkSection(
        key="gather", title="Cases to gather information on or to speak to the parent about",
        empty="No cases waiting.", roles=frozenset({Role.SENIOR, Role.HEAD}), owners=frozenset({Role.SENIOR}),
        stages=(Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION), rank=10,
    ))
    register_section(_riddor_due_section())


def _riddor_due_section() -> WorkSection:
    """Cases with a member of staff whose injury is reportable to the HSE and not yet reported, the soonest
    deadline first (issue 26). Driven from the partial index staffharm_riddor_due, which holds only the reports
    still to make; the deadline and the harm are read for the few rows shown."""
    from conduct.dates import page_date
    from conduct.links import LinkForId
    from conduct.roles import Role
    from incidents.models import StaffHarm

    riddor_link = LinkForId("incidents:staff_harm_riddor")

    def due():
        return StaffHarm.objects.filter(riddor_due_on__isnull=False, riddor_reported_on__isnull=True)

    def soonest(field):
        return Subquery(due().filter(incident=OuterRef("pk")).order_by("riddor_due_on", "pk").values(field)[:1])

    def order(at, queryset):
        return queryset.annotate(harm_pk=soonest("pk"), riddor_due=soonest("riddor_due_on")).order_by(
            "riddor_due", "pk")

    def overdue_label(row):
        days = (timezone.localdate() - row["riddor_due"]).days
        return f"Overdue: RIDDOR report was due {days} day{'' if days == 1 else 's'} ago"

    return WorkSection(
        key="riddor_due", title="RIDDOR reports due", empty="No RIDDOR report is due.",
        roles=frozenset({Role.SENIOR, Role.HEAD}), owners=frozenset({Role.HEAD}),
        narrow=lambda at, qs: qs.filter(pk__in=due().values("incident_id")), order=order,
        describe=lambda row: (riddor_link(row["harm_pk"]), f"RIDDOR report due by {page_date(row['riddor_due'])}"),
        overdue=lambda row: row["riddor_due"] < timezone.localdate(), overdue_label=overdue_label,
        next_step=lambda row: "Report the injury to the HSE and record the report", rank=45,
        noun=("RIDDOR report due", "RIDDOR reports due"),
    )
