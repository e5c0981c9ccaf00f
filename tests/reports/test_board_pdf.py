"""/reports/board.pdf: one school, one period, on the school's letterhead, with no one named."""

import io
import logging

from pypdf import PdfReader


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Lines wrap where the page is full: compare words, not lines.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_who_may_have_the_board_report(statuses, school):
    assert statuses(f"/reports/board.pdf?school={school.pk}") == {
        "office": 404, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        # A school the user may not read is a 404, as a record of another school is.
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_the_board_report_reads_like_a_board_paper(dataset, client_as, school, caplog):
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        response = client_as("head").get("/reports/board.pdf", dataset.period)
    assert response.status_code == 200
    text = _text(response)
    assert "School One" in text and "A school of Test Trust" in text  # the letterhead
    assert "conduct report to the Local Academy Board" in text
    assert f"{dataset.months[0]:%-d %B %Y} to {dataset.today:%-d %B %Y}" in text
    for case in ("A", "B", "C", "D", "G"):
        assert dataset.cases[case].reference in text
    assert dataset.cases["F"].reference not in text  # before the period
    assert dataset.cases["E"].reference not in text  # another school
    # Cases by reference only: no parent, and no pupil, is named.
    for name in ("Pat One", "Gil Two", "Dan Ban", "Sam Parent", "Pat", "Sam"):
        assert name not in text
    assert "Incidents in the period 5" in text
    [record] = [r for r in caplog.records if r.getMessage().startswith("report_board_pdf")]
    assert f"target=conduct.School:{school.pk}" in record.getMessage()
    assert f"date_from={dataset.period['from']}" in record.getMessage()


def test_the_trust_must_choose_a_school(client_as, school):
    response = client_as("trust").get("/reports/board.pdf")
    assert response.status_code == 400
    assert client_as("trust").get("/reports/board.pdf", {"school": school.pk}).status_code == 200


def test_head2_gets_no_board_report_of_the_first_school(dataset, client_as, school, other_school):
    client = client_as("other_head")
    assert client.get("/reports/board.pdf", {"school": school.pk, **dataset.period}).status_code == 404
    own = _text(client.get("/reports/board.pdf", {"school": other_school.pk, **dataset.period}))
    assert "School Two" in own and "School One" not in own
    assert dataset.cases["E"].reference in own and dataset.cases["A"].reference not in own


def test_a_bad_period_is_refused(client_as):
    response = client_as("head").get("/reports/board.pdf", {"from": "2026-05-01", "to": "2026-04-01"})
    assert response.status_code == 400


def test_the_board_report_is_read_only(statuses):
    assert statuses("/reports/board.pdf", method="post", personas=["head", "office"]) == {"head": 405, "office": 405}
