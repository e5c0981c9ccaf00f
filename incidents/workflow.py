"""The case stages and the one table of allowed moves between them.

The server enforces this table in `incidents.services.incident_transition`;
templates only read it to decide which buttons to show.
"""

from dataclasses import dataclass

from django.db import models

from conduct.roles import Role


class Stage(models.TextChoices):
    REPORTED = "reported", "Reported"
    GATHERING = "gathering", "Gathering information"
    CONVERSATION = "conversation", "Parent conversation"
    PROPOSED = "proposed", "Response proposed"
    AWAITING_CHAIR = "awaiting_chair", "Awaiting Chair"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset
    label: str
    # Transitions made as a side effect of a sanctions record (proposal,
    # consultation, decision) are not offered as bare buttons.
    needs_record: bool = False
    # The case's own records that imply this move (issue 25, fewer steps): once a statement or
    # conversation is saved, the case makes the move if it holds a record of any of these kinds
    # (named by their relation on Incident), the actor holds the move's role and its
    # preconditions are met. The bare button stays for a case with no records yet.
    implied_by: frozenset = frozenset()


_LEADERS = frozenset({Role.SENIOR, Role.HEAD})
_HEAD = frozenset({Role.HEAD})
_CHAIR = frozenset({Role.CHAIR})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Stage.REPORTED, Stage.GATHERING, _LEADERS, "Start gathering information",
               implied_by=frozenset({"statements", "conversations"})),
    # Its precondition asks for a statement too: whichever of the two is recorded second moves the case.
    Transition(Stage.GATHERING, Stage.CONVERSATION, _LEADERS, "Move to the parent conversation",
               implied_by=frozenset({"conversations"})),
    Transition(Stage.CONVERSATION, Stage.PROPOSED, _LEADERS, "Propose a response", True),
    Transition(Stage.CONVERSATION, Stage.AWAITING_CHAIR, _LEADERS, "Propose a response", True),
    # A revised proposal after the head or Chair asked for one.
    Transition(Stage.PROPOSED, Stage.PROPOSED, _LEADERS, "Revise the proposal", True),
    Transition(Stage.PROPOSED, Stage.AWAITING_CHAIR, _LEADERS, "Revise the proposal", True),
    # The Chair's consultation, signed off or not, hands the case to the head.
    Transition(Stage.AWAITING_CHAIR, Stage.PROPOSED, _CHAIR, "Record the consultation", True),
    Transition(Stage.PROPOSED, Stage.DECIDED, _HEAD, "Decide the response", True),
    Transition(Stage.DECIDED, Stage.CLOSED, _HEAD, "Close the case", True),
    Transition(Stage.CLOSED, Stage.DECIDED, _HEAD, "Reopen the case", True),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((source, target))


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]


def implied_transition(source: str) -> Transition | None:
    """The move from `source` that a record on the case may imply, if any."""
    return next((t for t in TRANSITIONS if t.source == source and t.implied_by), None)


# Preconditions are registered by the app that owns the records they need
# (sanctions registers the proposal, consultation and decision checks), so
# incidents never imports sanctions. Each returns an error message or None.
_PRECONDITIONS: dict[tuple[str, str], list] = {}


def register_precondition(source: str, target: str, check) -> None:
    _PRECONDITIONS.setdefault((source, target), []).append(check)


def precondition_errors(incident, source: str, target: str) -> list[str]:
    errors = []
    for check in _PRECONDITIONS.get((source, target), []):
        message = check(incident)
        if message:
            errors.append(message)
    return errors
