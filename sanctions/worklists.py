"""The work-list sections that need sanctions' records: proposals, the Chair, decisions, bans, letters to send.

Registered with incidents.worklists, which the home page and the incident list read.
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from conduct.links import LinkForId
from conduct.roles import Role
from incidents.workflow import Stage
from incidents.worklists import WorkSection, register_section
from sanctions.models import (
    BanStatus,
    Decision,
    DecisionAction,
    Letter,
    LetterKind,
    LetterStatus,
    Proposal,
    SentBy,
    SiteBan,
)
from sanctions.responses.services import OPEN_PROPOSAL_STATUSES

AWAITING_DECISION = (BanStatus.INTENDED, BanStatus.PROVISIONAL)


def _has_open_proposal():
    # A case at "response proposed" waits for the head only while it has an open
    # proposal; after the head rejects one it waits for a revised proposal instead.
    return Exists(Proposal.objects.filter(incident=OuterRef("pk"), status__in=OPEN_PROPOSAL_STATUSES))


def _days(n) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _ban_section(key, title, empty, bans, due_field, note, next_step, rank):
    """A section of cases with a ban whose next step is due, ordered by that date."""
    ban_link = LinkForId("sanctions:ban_detail")

    def narrow(at, queryset):
        # Driven from the bans (a few, found by their status index), not an EXISTS tried on every case.
        return queryset.filter(pk__in=SiteBan.objects.filter(bans(at)).values("incident_id"))

    def order(at, queryset):
        matching = SiteBan.objects.filter(bans(at), incident=OuterRef("pk")).order_by(due_field, "pk")
        return queryset.annotate(
            ban_pk=Subquery(matching.values("pk")[:1]), ban_due=Subquery(matching.values(due_field)[:1]),
        ).order_by("ban_due", "pk")

    def overdue(row):
        # Worked out here for the few rows shown: as a column, the date's subquery was written
        # (and run) once more in the SQL.
        return row["ban_due"] < timezone.localdate()

    def describe(row):
        return ban_link(row["ban_pk"]), note(row["ban_due"])

    def overdue_label(row):
        return f"Overdue by {_days((timezone.localdate() - row['ban_due']).days)}"

    return WorkSection(key=key, title=title, empty=empty, roles=frozenset({Role.HEAD}), narrow=narrow,
                       order=order, describe=describe, overdue=overdue, next_step=lambda row: next_step,
                       overdue_label=overdue_label, rank=rank, noun=("ban", "bans"))


# A draft letter's kind as the head's next step names it: "Issue the warning letter".
LETTER_TO_ISSUE = {
    LetterKind.MEETING_INVITATION: "meeting invitation",
    LetterKind.WARNING: "warning letter",
    LetterKind.INTENDED_BAN: "notice of intended ban",
    LetterKind.PROVISIONAL_BAN: "provisional ban letter",
    LetterKind.BAN_CONFIRMATION: "ban confirmation letter",
    LetterKind.BAN_WITHDRAWN: "letter withdrawing the ban",
    LetterKind.BAN_REVIEW: "ban review letter",
    LetterKind.COMPLAINT_OUTCOME: "complaint outcome letter",
}


def _letters_to_issue_section():
    """Decided cases with a draft letter only the head may issue, the longest decided first.

    Read from the decided cases (the (school, stage, stage_changed_at) index: open cases only, which
    do not pile up) and each one's drafts through the letter's incident index; the oldest draft's
    kind is read for the few rows shown.
    """
    letter_link = LinkForId("sanctions:letter_detail")

    def drafts():
        return Letter.objects.filter(status=LetterStatus.DRAFT, incident=OuterRef("pk"))

    def order(at, queryset):
        oldest = drafts().order_by("drafted_at", "pk")
        return queryset.annotate(draft_pk=Subquery(oldest.values("pk")[:1]),
                                 draft_kind=Subquery(oldest.values("kind")[:1])).order_by("stage_changed_at", "pk")

    def next_step(row):
        return f"Issue the {LETTER_TO_ISSUE.get(row['draft_kind'], 'letter')}"

    return WorkSection(
        key="letters_to_issue", title="Letters to issue", empty="No draft letter is waiting for you.",
        roles=frozenset({Role.HEAD}), stages=(Stage.DECIDED,), narrow=lambda at, qs: qs.filter(Exists(drafts())),
        order=order, describe=lambda row: (letter_link(row["draft_pk"]), ""), next_step=next_step, rank=40,
        noun=("case", "cases"),
    )


def _undone_actions():
    return DecisionAction.objects.filter(decision__incident=OuterRef("pk"), done=False)


def _with_undone_actions(at, queryset):
    """The decided cases oldest first (the stage index's order), each with its count of actions not done,
    read for the few rows shown."""
    undone = _undone_actions().order_by().values("decision__incident").annotate(n=Count("pk")).values("n")
    return queryset.annotate(undone=Subquery(undone[:1])).order_by("stage_changed_at", "pk")


def _actions_next_step(row) -> str:
    undone = row["undone"] or 0
    if not undone:
        return "Every action is done: the head closes the case"
    return "Complete the action" if undone == 1 else f"Complete the {undone} actions"


def _ready_to_close(at, queryset):
    # Decided, and every action of its decisions done: closing is the head's (the precondition checks it again).
    return queryset.filter(Exists(Decision.objects.filter(incident=OuterRef("pk"))), ~Exists(_undone_actions()))


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

    def order(at, queryset):
        return queryset.annotate(
            letter_pk=oldest("pk"), letter_issued_at=oldest("issued_at"), letter_kind=oldest("kind"),
            letter_sent_by=oldest("sent_by"), letter_error=oldest("delivery_error"),
        ).order_by("letter_issued_at", "pk")

    def describe(row):
        issued = timezone.localtime(row["letter_issued_at"])
        note = (f"{LetterKind(row['letter_kind']).label.lower()} {SentBy(row['letter_sent_by']).label.lower()}, "
                f"issued {issued.day} {issued:%b %Y}")
        if row["letter_error"]:
            note += ": the email did not go"
        return letter_link(row["letter_pk"]), note

    def next_step(row):
        if row["letter_error"]:
            return "Send the email again"
        return {SentBy.POST: "Post the letter", SentBy.HAND: "Hand the letter over"}.get(
            row["letter_sent_by"], "Send the letter")

    def overdue(row):
        return row["letter_issued_at"] < timezone.now() - timedelta(days=LETTER_SEND_DAYS)

    def overdue_label(row):
        return f"Overdue: issued {_days((timezone.now() - row['letter_issued_at']).days)} ago"

    return WorkSection(
        key="letters_unsent", title="Letters issued but not yet sent", empty="Every issued letter has gone.",
        roles=frozenset({Role.OFFICE, Role.HEAD}), narrow=lambda at, qs: qs.filter(
            pk__in=waiting().values("incident_id")),
        order=order, describe=describe, overdue=overdue, next_step=next_step, overdue_label=overdue_label,
        link=("Letters to post: the office's print pack", "sanctions:letters_to_post"),
        # The office sends letters; the head, who issued them, sees how many have not gone.
        owners=frozenset({Role.OFFICE}), rank=10, noun=("letter not yet sent", "letters not yet sent"),
    )


def register_sections():
    """The sections by whose work they are and, within it, most pressing first (rank): the head's
    decisions and deadlines, the senior leaders' cases, the Chair's consultations, the office's letters."""
    heads, leaders, seniors = frozenset({Role.HEAD}), frozenset({Role.SENIOR, Role.HEAD}), frozenset({Role.SENIOR})
    register_section(WorkSection(
        key="decide", title="Proposals waiting for your decision", empty="No proposals to decide.", roles=heads,
        stages=(Stage.PROPOSED,), narrow=lambda at, qs: qs.filter(_has_open_proposal()), rank=10,
        noun=("proposal to decide", "proposals to decide"), next_url=LinkForId("sanctions:decision_new"),
    ))
    register_section(WorkSection(
        key="revise", title="Proposals to revise after the head rejected them", empty="No proposals to revise.",
        roles=leaders, owners=seniors, stages=(Stage.PROPOSED,),
        narrow=lambda at, qs: qs.filter(~_has_open_proposal()), next_step=lambda row: "Revise the proposal",
        rank=20, noun=("proposal to revise", "proposals to revise"),
    ))
    register_section(WorkSection(
        key="actions", title="Decided cases with actions to complete", empty="No decided cases open.",
        roles=leaders, owners=seniors, stages=(Stage.DECIDED,), rank=30, order=_with_undone_actions,
        next_step=_actions_next_step, noun=("decided case with actions", "decided cases with actions"),
    ))
    register_section(WorkSection(
        key="close", title="Cases to close: every action done", empty="No case is ready to close.", roles=heads,
        stages=(Stage.DECIDED,), narrow=_ready_to_close, next_step=lambda row: "Close the case", rank=50,
        noun=("case to close", "cases to close"),
    ))
    register_section(WorkSection(
        key="chair", title="Consultations to sign off", empty="No consultations waiting for you.",
        roles=frozenset({Role.CHAIR}), stages=(Stage.AWAITING_CHAIR,), rank=10,
        next_step=lambda row: "Record your consultation on the proposed ban", noun=("consultation", "consultations"),
        next_url=LinkForId("sanctions:consultation_new"),
    ))
    # The head consults the Chair (policy section 4), so the head sees what the Chair has not yet answered.
    register_section(WorkSection(
        key="with_chair", title="Ban proposals waiting for the Chair",
        empty="No ban proposals waiting for the Chair.", roles=heads, stages=(Stage.AWAITING_CHAIR,), rank=60,
        next_step=lambda row: "The Chair's sign-off", noun=("ban proposal", "ban proposals"),
    ))
    register_section(_ban_section(
        "ban_deadline", "Bans whose deadline for representations has passed", "No ban is waiting for your decision.",
        lambda at: Q(status__in=AWAITING_DECISION, representations_by__lt=at.today()), "representations_by",
        lambda due: f"representations were due by {due:%-d %b %Y}", "Confirm or withdraw the ban", 20,
    ))
    register_section(_ban_section(
        "ban_review", "Ban reviews due within seven days", "No ban review is due.",
        lambda at: Q(status=BanStatus.CONFIRMED, review_on__lte=at.today(7)), "review_on",
        lambda due: f"review due {due:%-d %b %Y}", "Review the ban", 30,
    ))
    register_section(_letters_to_issue_section())
    register_section(_letters_unsent_section())
