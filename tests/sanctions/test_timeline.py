"""The case page's timeline: every step, in order, with who did it."""

from datetime import timedelta

from django.utils import timezone

from incidents.models import StatementKind
from incidents.services import conversation_record, incident_transition, statement_add
from incidents.workflow import Stage
from sanctions.models import DecisionOutcome
from sanctions.responses.services import decision_record, proposal_submit


def test_the_whole_story_in_order(build, personas, client_as):
    senior, head = personas["senior"], personas["head"]
    incident = build.incident()
    incident_transition(actor=senior, incident=incident, to_stage=Stage.GATHERING)
    statement_add(actor=senior, incident=incident, kind=StatementKind.PUPIL, given_by="Child",
                  taken_on=timezone.now() - timedelta(hours=1), others_present="TA", text="It happened.")
    incident_transition(actor=senior, incident=incident, to_stage=Stage.CONVERSATION)
    conversation_record(actor=senior, incident=incident, took_place=True, held_on=timezone.now(), parent_said="Ok")
    proposal_submit(actor=senior, incident=incident, actions=["ban"], rationale="Risk", ban_justification="Hit")
    build.chair_signs(incident)
    decision_record(actor=head, incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Agreed")

    expected = [
        ("Incident logged", "office"),
        ("Reported → Gathering information", "senior"),
        ("Statement recorded (pupil's version of events): the pupil", "senior"),
        ("Gathering information → Parent conversation", "senior"),
        ("Conversation with the parent recorded", "senior"),
        ("Response proposed: Ban from the school site", "senior"),
        ("Parent conversation → Awaiting Chair", "senior"),
        ("Chair consulted and signed off the ban", "chair"),
        ("Awaiting Chair → Response proposed", "chair"),
        ("Head decided (approved as proposed): Ban from the school site", "head"),
        ("Response proposed → Decided", "head"),
    ]
    assert [(e.summary, e.actor.username) for e in incident.events.all()] == expected

    page = client_as("head").get(incident.get_absolute_url()).content.decode()
    timeline = page.split('id="h-timeline"')[1].split("</section>")[0]
    positions = [timeline.find(summary.replace("'", "&#x27;")) for summary, _ in expected]
    assert -1 not in positions and positions == sorted(positions)
    assert "Senior" in timeline and "Chair" in timeline
