"""The work-list sections that need sanctions' records: proposals, the Chair, decisions, bans, letters to send.

Registered with incidents.worklists, which the home page and the incident list read.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from conduct.links import LinkForId
from conduct.roles import Role
from incidents.workflow import Stage
from incidents.worklists import WorkSection, register_section
from sanctions.models import BanStatus, Letter, LetterKind, LetterStatus, Proposal, SentBy, SiteBan
from sanctions.responses.services import OPEN_PROPOSAL_STATUSES

AWAITING_DECISION = (BanStatus.INTENDED, BanStatus.PROVISIONAL)


def _has_open_proposal():
    # A case at "response proposed" waits for the head only while it has an open
    # proposal; after the head rejects one it waits for a revised proposal instead.
    return Exists(Proposal.objects.filter(incident=OuterRef("pk"), status__in=OPEN_PROPOSAL_STATUSES))


def _ban_section(key, title, empty, bans, due_field, note):
    """A section of cases with a ban whose next step is due, ordered by that date."""
    ban_link = LinkForId("sanctions:ban_detail")

    def matching(today):
        return SiteBan.objects.filter(bans(today), incident=OuterRef("pk")).order_by(due_field, "pk")

    def narrow(user, queryset):
        # Driven from the bans (a few, found by their status index), not an EXISTS tried on every case.
        due = SiteBan.objects.filter(bans(timezone.localdate())).values("incident_id")
        return queryset.filter(pk__in=due)

    def order(queryset):
        today = timezone.localdate()
        return queryset.annotate(
            ban_pk=Subquery(matching(today).values("pk")[:1]),
            ban_due=Subquery(matching(today).values(due_field)[:1]),
        ).order_by("ban_due", "pk")

    def overdue(row):
        # Worked out here for the few rows shown: as a column, the date's subquery was written
        # (and run) once more in the SQL.
        return row["ban_due"] < timezone.localdate()

    def describe(row):
        return ban_link(row["ban_pk"]), note(row["ban_due"])

    return WorkSection(key=key, title=title, empty=empty, roles=frozenset({Role.HEAD}), narrow=narrow,
                       order=order, describe=describe, overdue=overdue)


# A letter not sent this many days after it was issued is shown as overdue: the post goes daily.
LETTER_SEND_DAYS = 2


def _letters_unsent_section():
    """Cases with an issued letter that has not yet gone (by email, post or hand), its oldest first.

    Driven from the letters: the partial index letter_awaiting_delivery holds only the letters
    still waiting, so the section reads a few rows however many letters the trust has sent.
    """
    letter_link = LinkForId("sanctions:letter_detail")

    def waiting():
        return Letter.objects.filter(status=LetterStatus.ISSUED, delivered_at__isnull=True)

    def oldest(field):
        return Subquery(waiting().filter(incident=OuterRef("pk")).order_by("issued_at", "pk").values(field)[:1])

    def order(queryset):
        return queryset.annotate(
            letter_pk=oldest("pk"), letter_issued_at=oldest("issued_at"), letter_kind=oldest("kind"),
            letter_sent_by=oldest("sent_by"), letter_error=oldest("delivery_error"),
        ).order_by("letter_issued_at", "pk")

    def describe(row):
        issued = timezone.localtime(row["letter_issued_at"])
        note = (f"{LetterKind(row['letter_kind']).label.lower()} {SentBy(row['letter_sent_by']).label.lower()}, "
                f"issued {issued.day} {issued:%b %Y}")
        if row["letter_error"]:
            note += ": the email did not go, send it again"
        return letter_link(row["letter_pk"]), note

    def overdue(row):
        return row["letter_issued_at"] < timezone.now() - timedelta(days=LETTER_SEND_DAYS)

    return WorkSection(
        key="letters_unsent", title="Letters issued but not yet sent", empty="Every issued letter has gone.",
        roles=frozenset({Role.OFFICE, Role.HEAD}), narrow=lambda user, qs: qs.filter(
            pk__in=waiting().values("incident_id")),
        order=order, describe=describe, overdue=overdue,
        link=("Letters to post: the office's print pack", "sanctions:letters_to_post"),
    )


def register_sections():
    heads, leaders = frozenset({Role.HEAD}), frozenset({Role.SENIOR, Role.HEAD})
    register_section(WorkSection(
        key="decide", title="Proposals waiting for your decision", empty="No proposals to decide.", roles=heads,
        stages=(Stage.PROPOSED,), narrow=lambda user, qs: qs.filter(_has_open_proposal()),
    ))
    register_section(WorkSection(
        key="revise", title="Proposals to revise after the head rejected them", empty="No proposals to revise.",
        roles=leaders, stages=(Stage.PROPOSED,), narrow=lambda user, qs: qs.filter(~_has_open_proposal()),
    ))
    register_section(WorkSection(
        key="actions", title="Decided cases with actions to complete", empty="No decided cases open.",
        roles=leaders, stages=(Stage.DECIDED,),
    ))
    register_section(WorkSection(
        key="chair", title="Consultations to sign off", empty="No consultations waiting for you.",
        roles=frozenset({Role.CHAIR}), stages=(Stage.AWAITING_CHAIR,),
    ))
    # The head consults the Chair (policy section 4), so the head sees what the Chair has not yet answered.
    register_section(WorkSection(
        key="with_chair", title="Ban proposals waiting for the Chair",
        empty="No ban proposals waiting for the Chair.", roles=heads, stages=(Stage.AWAITING_CHAIR,),
    ))
    register_section(_ban_section(
        "ban_deadline", "Bans whose deadline for representations has passed", "No ban is waiting for your decision.",
        lambda today: Q(status__in=AWAITING_DECISION, representations_by__lt=today), "representations_by",
        lambda due: f"representations were due by {due:%-d %b %Y}",
    ))
    register_section(_ban_section(
        "ban_review", "Ban reviews due within seven days", "No ban review is due.",
        lambda today: Q(status=BanStatus.CONFIRMED, review_on__lte=today + timedelta(days=7)), "review_on",
        lambda due: f"review due {due:%-d %b %Y}",
    ))
    register_section(_letters_unsent_section())
