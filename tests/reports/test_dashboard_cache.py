"""The dashboard's figures are counted once per scope and filters for a few minutes, then again.

The cache is shared by every app server (a database table); its key holds
everything the figures depend on, so no user is ever shown figures counted
for another scope.
"""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _figures(client, **params):
    return client.get("/reports/", params).context["figures"]


def test_a_second_visit_reuses_the_figures_and_says_when_they_were_counted(client_as, build):
    build.case()
    head = client_as("head")
    first = head.get("/reports/")
    with CaptureQueriesContext(connection) as queries:
        again = head.get("/reports/")
    assert again.context["figures"].period == first.context["figures"].period
    assert len(queries) < 10  # the session, the user, the roles, the form's choices and one cache read
    assert "Figures as counted at" in again.content.decode()


def test_figures_are_counted_again_once_the_cache_is_gone(client_as, build):
    build.case()
    head = client_as("head")
    before = _figures(head).period["incidents"]
    build.case()
    assert _figures(head).period["incidents"] == before  # within the cache's lifetime
    cache.clear()
    assert _figures(head).period["incidents"] == before + 1


def test_another_scope_never_reads_these_figures(client_as, build, school):
    build.case()
    assert _figures(client_as("head")).period["incidents"] == 1
    assert _figures(client_as("other_head")).period["incidents"] == 0
    trust = client_as("trust")
    assert _figures(trust, school=school.pk).period["incidents"] == 1
