"""Complaint deadlines in the work lists: the head's (complaints at the school whose stage's outcome is due)
and the trust's (complaints at the panel stage across every school, the trust clerks the panel)."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from conduct.links import LinkForId
from conduct.permissions import is_trust_reader
from conduct.roles import CASE_LEADERS, Role
from incidents.worklists import SECTION_LIMIT, WorkSection
from sanctions.complaints.selectors import complaints_for
from sanctions.models import COMPLAINT_OPEN_STAGES, Complaint, ComplaintStage

complaint_link = LinkForId("sanctions:complaint_detail")


def _days(n) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _due():
    # Read through the (stage, deadline) index: only complaints waiting for a stage's outcome have a deadline.
    return Complaint.objects.filter(stage__in=COMPLAINT_OPEN_STAGES, deadline__isnull=False)


def _outcome_step(stage) -> str:
    return ("Record the complaints panel's outcome" if stage == ComplaintStage.PANEL
            else f"Record the complaint's {ComplaintStage(stage).label.lower()} outcome")


def complaints_due_section() -> WorkSection:
    """Cases with a complaint whose stage's outcome is due, the soonest deadline first."""

    def soonest(field):
        return Subquery(_due().filter(incident=OuterRef("pk")).order_by("deadline", "pk").values(field)[:1])

    def order(at, queryset):
        return queryset.annotate(complaint_pk=soonest("pk"), complaint_due=soonest("deadline"),
                                 complaint_stage=soonest("stage")).order_by("complaint_due", "pk")

    def describe(row):
        stage = row["complaint_stage"]
        what = "complaints panel" if stage == ComplaintStage.PANEL else f"complaint, {stage} stage"
        return complaint_link(row["complaint_pk"]), f"{what}: outcome due by {row['complaint_due']:%-d %b %Y}"

    def overdue(row):
        return row["complaint_due"] < timezone.localdate()

    def overdue_label(row):
        return f"Overdue by {_days((timezone.localdate() - row['complaint_due']).days)}"

    return WorkSection(
        key="complaints_due", title="Complaints: outcomes due", empty="No complaint is waiting for an outcome.",
        roles=CASE_LEADERS, owners=frozenset({Role.HEAD}),
        narrow=lambda at, qs: qs.filter(pk__in=_due().values("incident_id")), order=order, describe=describe,
        overdue=overdue, overdue_label=overdue_label, next_step=lambda row: _outcome_step(row["complaint_stage"]),
        # After the letters the head has to issue: a parent waiting to hear of a decision comes first.
        rank=45, noun=("complaint outcome due", "complaint outcomes due"),
    )


def trust_panel_sections(user) -> list[dict]:
    """The trust's list: complaints at the panel stage at every school, the soonest deadline first."""
    if not is_trust_reader(user):
        return []
    panels = complaints_for(user).filter(stage=ComplaintStage.PANEL, deadline__isnull=False)
    total = panels.count()
    if not total:
        return []  # the trust's page is a table of schools; a list appears only when a panel is waiting
    chosen = list(panels.select_related("incident__school", "complainant")
                  .order_by("deadline", "pk")[:SECTION_LIMIT])
    today = timezone.localdate()
    items = [{
        "url": complaint_link(c.pk), "title": c.incident.reference, "subjects": c.complainant.full_name,
        "stage": "", "stage_label": "", "school": c.incident.school.name, "overdue": c.deadline < today,
        "overdue_label": f"Overdue by {_days((today - c.deadline).days)}" if c.deadline < today else "",
        "next_step": "The complaints panel's outcome", "note": f"panel's outcome due by {c.deadline:%-d %b %Y}",
        "since": None,
    } for c in chosen]
    return [{"key": "complaint_panels", "title": "Complaints at the panel stage",
             "empty": "No complaint is waiting for a panel.", "items": items, "total": total,
             "more_url": "", "link": None}]

