"""The audit reads the cases a chunk at a time: every case once, in id order, and no query for an empty chunk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from incidents.workflow import Stage
from sanctions.responses.audit import check_stage_matches_records, incident_chunks


def _chunks(size):
    with CaptureQueriesContext(connection) as queries:
        chunks = list(incident_chunks("reference", size=size))
    return chunks, len(queries)


@pytest.mark.parametrize(("cases", "sizes", "queries"), [
    (0, [], 1), (1, [1], 1), (4, [2, 2], 3), (5, [2, 2, 1], 3),
])
def test_every_case_comes_once_in_id_order(build, cases, sizes, queries):
    for _ in range(cases):
        build.case()
    chunks, asked = _chunks(2)
    assert [len(chunk) for chunk in chunks] == sizes
    ids = [row[0] for chunk in chunks for row in chunk]
    assert ids == list(Incident.objects.order_by("pk").values_list("pk", flat=True))
    assert [row[1] for chunk in chunks for row in chunk] == list(
        Incident.objects.order_by("pk").values_list("reference", flat=True))
    # A full last chunk needs one more question to know it was the last; a short one does not.
    assert asked == queries


def test_a_problem_in_the_last_short_chunk_is_found(build, monkeypatch):
    cases = [build.case(stage=Stage.GATHERING) for _ in range(5)]
    last = cases[-1]
    Incident.objects.filter(pk=last.pk).update(stage=Stage.CONVERSATION)
    # The chunk size is a default argument: the check is given a small one through incident_chunks itself.
    monkeypatch.setattr("sanctions.responses.audit.incident_chunks",
                        lambda *fields: incident_chunks(*fields, size=2))
    problems = list(check_stage_matches_records())
    assert (last.reference, "at the parent conversation with no statement") in problems
