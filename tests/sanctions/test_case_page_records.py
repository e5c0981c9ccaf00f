"""The case page reads a case's evidence, consultations, decisions, letters and bans only when its
timeline shows an event of their kind, and conduct_audit names any record that has none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import CaseEvent
from incidents.services import evidence_add
from incidents.workflow import Stage
from sanctions.audit import run_audit
from sanctions.letters import services as letter_services
from sanctions.models import DecisionAction, LetterKind


def _tables_read(client, incident):
    client.get(incident.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(incident.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), " ".join(q["sql"] for q in queries.captured_queries)


@pytest.fixture
def full_case(ban_case, make_ban, personas, png_bytes):
    """A decided ban case with its ban and the ban's letter, a piece of evidence and the Chair's consultation."""
    ban = make_ban(ban_case)
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    evidence_add(actor=personas["office"], incident=ban_case, upload=SimpleUploadedFile("Door.png", png_bytes),
                 description="The door camera")
    return ban_case


def test_a_case_with_every_record_shows_them_all(full_case, client_as):
    page, sql = _tables_read(client_as("head"), full_case)
    for table in ("incidents_evidence", "sanctions_chairconsultation", "sanctions_decision",
                  "sanctions_decisionaction", "sanctions_letter", "sanctions_siteban", "sanctions_siteban_sites"):
        assert f'FROM "{table}"' in sql
    assert "The door camera" in page
    assert "Provisional ban" in page
    assert full_case.subjects()[0].full_name in page


def test_a_case_with_every_record_stays_under_fifteen_queries_and_shows_what_they_hold(full_case, client_as,
                                                                                        personas):
    """Evidence, a decision's actions and a ban's sites come inside their parent's query: what the page
    shows of them is the same as reading them on their own."""
    client = client_as("head")
    client.get(full_case.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(full_case.get_absolute_url()).content.decode()
    # 15 before issue 21.5; the head (and the DPO) also read the alerts of records at other schools: one query.
    assert len(queries) < 16
    evidence = full_case.evidence.get()
    uploader = personas["office"].get_full_name() or personas["office"].username
    assert f"added {timezone.localtime(evidence.uploaded_at):%-d %b %Y} by {uploader}" in page
    assert f"/evidence/{evidence.pk}/" in page
    actions = list(DecisionAction.objects.filter(decision__incident=full_case))
    assert actions
    for action in actions:
        assert f"{'Done' if action.done else 'To do'}: {action.get_kind_display()}" in page
    ban = full_case.bans.get()
    assert ", ".join(sorted(ban.sites.values_list("name", flat=True))) in page


def test_a_case_without_them_reads_none_of_their_tables(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    _page, sql = _tables_read(client_as("head"), incident)
    assert 'FROM "sanctions_proposal"' in sql
    # Its evidence is read with the case itself, in the case's own query.
    for table in ("sanctions_chairconsultation", "sanctions_decision",
                  "sanctions_decisionaction", "sanctions_letter", "sanctions_siteban"):
        assert f'FROM "{table}"' not in sql


def test_a_busy_decided_case_stays_under_fifteen_queries_for_the_head(letters_case, personas, client_as):
    for kind in (LetterKind.WARNING, LetterKind.MEETING_INVITATION):
        letter = letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=kind)
        letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")
    client = client_as("head")
    client.get(letters_case.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(letters_case.get_absolute_url()).status_code == 200
    assert len(queries) < 15


@pytest.mark.parametrize("kind, what", [
    ("evidence", "evidence"), ("consultation", "a Chair's consultation"), ("decision", "a decision"),
    ("letter", "a letter"), ("ban", "a ban"),
])
def test_the_audit_names_a_record_its_timeline_does_not_show(full_case, kind, what):
    assert run_audit() == []
    CaseEvent.objects.filter(incident=full_case, kind=kind).delete()
    assert (full_case.reference, f"has {what} that its timeline does not show") in run_audit()
