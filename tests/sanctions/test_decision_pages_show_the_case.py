"""The Chair's consultation and the head's decision are made on the page that shows the case (issue 25): the
proposal, who proposed it, the Chair's consultation for the head, the incident, the statements each may read and
the conversation with the parent. Opening the page is a view of the case in the access log; the page reads the
same number of queries for one statement as for five; another school's Chair or head still cannot open it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import StatementKind
from incidents.services import conversation_record, statement_add
from incidents.workflow import Stage
from privacy.models import AccessLogEntry
from sanctions.models import ActionKind
from sanctions.responses.services import proposal_submit

PAGES = {"chair": ("sanctions:consultation_new", Stage.AWAITING_CHAIR),
         "head": ("sanctions:decision_new", Stage.PROPOSED)}


def _case_for(build, personas, persona, *, statements=1, kind=StatementKind.STAFF):
    """A ban proposed on a case with `statements` more statements: with the Chair, or signed off for the head."""
    incident = build.case(stage=Stage.CONVERSATION)
    senior = personas["senior"]
    for i in range(statements):
        statement_add(actor=senior, incident=incident, kind=kind, given_by=f"Witness {i}",
                      taken_on=timezone.now(), text=f"Account number {i}.", others_present="Class teacher")
    conversation_record(actor=senior, incident=incident, took_place=True, held_on=timezone.now(), present="Deputy",
                        parent_said="Sorry.", agreed="")
    proposal_submit(actor=senior, incident=incident, actions=[ActionKind.SITE_BAN], rationale="Proportionate.",
                    ban_justification="Serious risk.")
    if persona == "head":
        build.chair_signs(incident)
    return incident


@pytest.mark.parametrize("persona", ["chair", "head"])
def test_the_page_shows_the_case_it_decides(build, client_as, personas, persona):
    incident = _case_for(build, personas, persona, kind=StatementKind.PUPIL)
    page = client_as(persona).get(reverse(PAGES[persona][0], args=[incident.pk])).content.decode()
    for words in ("The proposal", "Ban from the school site", "Serious risk.", "The incident", incident.description,
                  "Statements", "I saw it.", "Account number 0.", "Conversation with the parent", "Sorry.",
                  f"Proposed by {personas['senior'].get_full_name() or personas['senior'].username}"):
        assert words in page, words
    assert ("The Chair's consultation" in page) == (persona == "head")
    # The case page's own buttons are not offered on a page that records something else.
    assert "Record a statement" not in page and "Add evidence" not in page


@pytest.mark.parametrize("persona", ["chair", "head"])
def test_opening_it_is_a_view_of_the_case(build, client_as, personas, persona):
    incident = _case_for(build, personas, persona)
    client_as(persona).get(reverse(PAGES[persona][0], args=[incident.pk]))
    assert AccessLogEntry.objects.filter(user=personas[persona], kind="case", incident_id=incident.pk).count() == 1


@pytest.mark.parametrize("persona", ["chair", "head"])
def test_the_queries_do_not_grow_with_the_case(build, client_as, personas, persona):
    counts = []
    for n in (1, 5):
        incident = _case_for(build, personas, persona, statements=n)
        client = client_as(persona)
        url = reverse(PAGES[persona][0], args=[incident.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("persona", ["other_head", "office", "senior", "anonymous"])
def test_nobody_else_reads_the_case_there(build, client_as, persona):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    response = client_as(persona).get(reverse("sanctions:consultation_new", args=[incident.pk]))
    assert response.status_code in (302, 403, 404)
    assert incident.description not in response.content.decode()
