"""Every view of a case, person, letter, evidence or case summary writes one access log row, at most one per
user and record in ten minutes; the case page shows who looked to the school's head and the DPO only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from incidents import services as incident_services
from incidents.workflow import Stage
from privacy.access_log import PANEL_SIZE, RECORD_WINDOW
from privacy.models import AccessLogEntry
from sanctions.letters import services as letter_services
from sanctions.models import LetterKind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HEADING = "Who has looked at this case"


@pytest.fixture
def case(build):
    return build.case(stage=Stage.DECIDED)


def test_each_page_records_who_saw_what(case, personas, client_as):
    person = case.subjects()[0]
    evidence = incident_services.evidence_add(actor=personas["office"], incident=case,
                                              upload=SimpleUploadedFile("gate.png", PNG, content_type="image/png"))
    letter = letter_services.letter_draft(actor=personas["senior"], incident=case, kind=LetterKind.WARNING,
                                          person=person)
    letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="post")
    office = client_as("office")
    for url in (case.get_absolute_url(), person.get_absolute_url(), f"/evidence/{evidence.pk}/download/",
                f"/letters/{letter.pk}/", f"/letters/{letter.pk}/download/", f"/incidents/{case.pk}/summary.pdf"):
        assert office.get(url).status_code == 200, url
    rows = list(AccessLogEntry.objects.order_by("pk").values_list("user__username", "kind", "incident_id",
                                                                  "person_id", "school_id"))
    school = case.school_id
    assert rows == [
        ("office", "case", case.pk, None, school),
        ("office", "person", None, person.pk, school),
        ("office", "evidence", case.pk, None, school),
        # The letter's page and its download: the same letter, seen once in the window.
        ("office", "letter", case.pk, person.pk, school),
        ("office", "case_summary", case.pk, None, school),
    ]


def test_a_view_is_recorded_once_per_user_and_record_in_ten_minutes(case, client_as):
    """Every save redirects back to the case page: the log says who looked, not how often they saved."""
    assert RECORD_WINDOW == timedelta(minutes=10)
    office, senior = client_as("office"), client_as("senior")
    for _ in range(3):
        assert office.get(case.get_absolute_url()).status_code == 200
    senior.get(case.get_absolute_url())
    office.get(case.subjects()[0].get_absolute_url())  # another record: its own row
    rows = list(AccessLogEntry.objects.order_by("pk").values_list("user__username", "kind"))
    assert rows == [("office", "case"), ("senior", "case"), ("office", "person")]
    # Nine minutes on, still the same visit; eleven minutes on, a new one.
    AccessLogEntry.objects.update(at=F("at") - timedelta(minutes=9))
    office.get(case.get_absolute_url())
    assert AccessLogEntry.objects.filter(kind="case").count() == 2
    AccessLogEntry.objects.update(at=F("at") - timedelta(minutes=2))
    office.get(case.get_absolute_url())
    assert list(AccessLogEntry.objects.filter(kind="case", user__username="office").values_list("kind", flat=True)) \
        == ["case", "case"]


def test_another_case_in_the_window_is_its_own_row(build, case, client_as):
    other = build.case(stage=Stage.REPORTED)
    office = client_as("office")
    office.get(case.get_absolute_url())
    office.get(other.get_absolute_url())
    assert sorted(AccessLogEntry.objects.values_list("incident_id", flat=True)) == sorted([case.pk, other.pk])


def test_a_refused_page_records_nothing(case, client_as):
    assert client_as("other_office").get(case.get_absolute_url()).status_code == 404
    assert client_as("anonymous").get(case.get_absolute_url()).status_code == 302
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("persona", ["head", "dpo"])
def test_head_and_dpo_see_who_looked(case, client_as, client_for, persona):
    client_as("office").get(case.get_absolute_url())
    page = client_for(persona).get(case.get_absolute_url()).content.decode()
    assert HEADING in page
    assert "Office" in page.split(HEADING)[1]  # the office member's name in the panel


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust"])
def test_nobody_else_sees_who_looked(case, client_as, persona):
    client_as("head").get(case.get_absolute_url())
    page = client_as(persona).get(case.get_absolute_url()).content.decode()
    assert HEADING not in page


def test_other_schools_head_never_sees_the_panel(build, client_as):
    other_case = build.case(school=build.other_school)
    assert HEADING in client_as("other_head").get(other_case.get_absolute_url()).content.decode()
    first_case = build.case()
    assert client_as("other_head").get(first_case.get_absolute_url()).status_code == 404


def test_the_panel_shows_the_latest_views_and_the_total(case, personas, client_as):
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(user=personas["office"], kind="case", object_id=case.pk, incident_id=case.pk,
                       school_id=case.school_id) for _ in range(PANEL_SIZE + 5)
    )
    response = client_as("head").get(case.get_absolute_url())
    panel = next(p["context"] for p in response.context["panels"] if p["template"] == "privacy/_access_panel.html")
    # The head's own view is written before the panel reads.
    assert panel["total"] == PANEL_SIZE + 6
    assert len(panel["entries"]) == PANEL_SIZE
    assert panel["entries"][0].user == personas["head"]
    assert f"{PANEL_SIZE + 6} views in all; the latest {PANEL_SIZE} are shown" in response.content.decode()


def test_recording_and_the_panel_cost_one_query_each(case, client_as):
    head = client_as("head")
    head.get(case.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        head.get(case.get_absolute_url())
    access = [q["sql"] for q in queries.captured_queries if "privacy_accesslogentry" in q["sql"]]
    # The second view in the window writes nothing, and finding that out is the same one statement.
    assert len(access) == 2
    assert access[0].startswith("INSERT")
    assert AccessLogEntry.objects.count() == 1
