"""conduct_audit asks each table a fixed number of times, however many cases there are."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanctions.audit import run_audit


def _generate(*extra):
    call_command("generate_load_data", "--schools", "2", "--incidents", "80", "--pdfs", "1", "--force", *extra,
                 stdout=StringIO())


def _audit_queries():
    with CaptureQueriesContext(connection) as queries:
        assert run_audit() == []
    return len(queries)


@pytest.mark.django_db
def test_the_audit_makes_the_same_queries_for_twice_the_cases():
    _generate()
    before = _audit_queries()
    _generate("--append")
    assert _audit_queries() == before
