"""The whole case as one document for a complaints panel or the trust's legal team.

Pupils are children: their names appear as initials unless the viewer asks
for full names and their role lets them read pupils' own accounts (senior
leaders, the head, the Chair). Pupils' statements appear only for those roles.
"""

import re

from django.utils import timezone

from incidents.models import Involvement, StatementKind
from incidents.selectors import can_read_pupil_statements, statements_for
from sanctions.models import (
    ChairConsultation,
    Complaint,
    ComplaintStage,
    Decision,
    DecisionAction,
    Letter,
    LetterStatus,
    Proposal,
    SiteBan,
)

# Words in a "pupils affected" line that are not names.
_NOT_NAMES = {"Year", "Reception", "Class", "Nursery", "Form", "The", "And", "Pupil", "Pupils", "Child", "Children"}


def initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name.strip()) if p]
    return "".join(f"{p[0].upper()}." for p in parts) or "—"


def may_see_full_names(user, incident) -> bool:
    return can_read_pupil_statements(user, incident.school)


class Redactor:
    """Replaces the names of the pupils linked to the case's people with initials."""

    def __init__(self, pupil_names, enabled: bool):
        self.enabled = enabled
        names = sorted({n.strip() for n in pupil_names if n and n.strip()}, key=len, reverse=True)
        self.replacements = []
        for name in names:
            self.replacements.append((re.compile(rf"\b{re.escape(name)}\b", re.I), initials(name)))
        firsts = {n.split()[0] for n in names if len(n.split()) > 1}
        for first in sorted(firsts, key=len, reverse=True):
            if len(first) > 2:
                self.replacements.append((re.compile(rf"\b{re.escape(first)}\b"), initials(first)))

    def __call__(self, text: str) -> str:
        if not self.enabled or not text:
            return text
        for pattern, replacement in self.replacements:
            text = pattern.sub(replacement, text)
        return text

    def pupils_line(self, text: str) -> str:
        """A free-text list of pupils: every capitalised word that is not a year group becomes an initial."""
        if not self.enabled or not text:
            return text
        text = self(text)
        return re.sub(
            r"\b([A-Z][a-z'’]+)\b", lambda m: m.group(1) if m.group(1) in _NOT_NAMES else f"{m.group(1)[0]}.", text
        )


def _complaints(incident, redact) -> list[dict]:
    complaints = (Complaint.objects.filter(incident=incident).select_related("complainant", "decision", "ban")
                  .prefetch_related("steps"))
    return [{"c": c, "summary": redact(c.summary),
             "steps": [{"s": step, "reasons": redact(step.reasons)} for step in c.steps.all()]}
            for c in complaints]


def _complaints_and_panel(incident, redact) -> dict:
    """The case's complaints, and the one before a complaints panel now, for which the summary is marked."""
    complaints = _complaints(incident, redact)
    at_panel = [row["c"] for row in complaints if row["c"].stage == ComplaintStage.PANEL]
    return {"complaints": complaints, "for_panel": at_panel[0] if at_panel else None}


def case_summary_context(user, incident, *, full_names: bool = False) -> dict:
    full_names = full_names and may_see_full_names(user, incident)
    links = list(incident.person_links.select_related("person").prefetch_related("person__pupils"))
    pupil_names = [p.name for link in links for p in link.person.pupils.all()]
    redact = Redactor(pupil_names, enabled=not full_names)
    people = [
        {
            "person": link.person,
            "involvement": link.get_involvement_display(),
            # The case's school's own pupil links; every school's names are still redacted above.
            "pupils": [
                (p.name if full_names else initials(p.name)) + (f" ({p.year_group})" if p.year_group else "")
                for p in link.person.pupils.all() if p.school_id == incident.school_id
            ],
        }
        for link in links
    ]
    statements = [
        {
            "kind": s.get_kind_display(),
            "given_by": redact.pupils_line(s.given_by) if s.kind == StatementKind.PUPIL else redact(s.given_by),
            "taken_on": s.taken_on,
            "taken_by": s.taken_by,
            "others_present": redact(s.others_present),
            "text": redact(s.text),
        }
        for s in statements_for(user, incident)
    ]
    conversations = [
        {"c": c, "parent_said": redact(c.parent_said), "agreed": redact(c.agreed),
         "detail": redact(c.not_possible_detail)}
        for c in incident.conversations.select_related("recorded_by")
    ]
    return {
        "incident": incident,
        "school": incident.school,
        "description": redact(incident.description),
        "pupils_affected": redact.pupils_line(incident.pupils_affected),
        "staff_affected": incident.staff_affected,
        "categories": list(incident.categories.all()),
        "subjects": [p for p in people if p["involvement"] == Involvement.SUBJECT.label],
        "people": people,
        "statements": statements,
        "pupil_statements_hidden": not can_read_pupil_statements(user, incident.school),
        "conversations": conversations,
        "evidence": list(incident.evidence.select_related("uploaded_by")),
        "proposals": [
            {"p": p, "rationale": redact(p.rationale), "ban_justification": redact(p.ban_justification)}
            for p in Proposal.objects.filter(incident=incident).select_related("proposed_by")
        ],
        "consultations": [
            {"c": c, "view": redact(c.chair_view), "reasons": redact(c.reasons_not_signed)}
            for c in ChairConsultation.objects.filter(incident=incident).select_related("chair")
        ],
        "decisions": [
            {"d": d, "reasons": redact(d.reasons)}
            for d in Decision.objects.filter(incident=incident).select_related("head")
        ],
        "actions": list(DecisionAction.objects.filter(decision__incident=incident).select_related("done_by")),
        "bans": [
            {
                "ban": b, "sites": list(b.sites.order_by("name")), "reasons": redact(b.reasons),
                "arrangements": redact(b.pupil_arrangements),
                "representations": [{"r": r, "summary": redact(r.summary)} for r in b.representations.all()],
                "reviews": [{"r": r, "reasons": redact(r.reasons)} for r in b.reviews.all()],
            }
            for b in SiteBan.objects.filter(incident=incident).select_related("person")
        ],
        **_complaints_and_panel(incident, redact),
        "letters": list(
            Letter.objects.filter(incident=incident, status__in=[LetterStatus.ISSUED, LetterStatus.SUPERSEDED])
            .select_related("person", "issued_by").order_by("issued_at")
        ),
        "events": [
            {"e": e, "summary": redact(e.summary), "note": redact(e.note)}
            for e in incident.events.select_related("actor")
        ],
        "full_names": full_names,
        "viewer": user,
        "generated_at": timezone.localtime(),
    }
