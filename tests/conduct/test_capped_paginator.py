"""conduct.pagination.CappedPaginator: the count stops at the cap, and says so."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.pagination import CappedPaginator
from incidents.models import Incident


def test_counts_up_to_the_cap_and_says_more(build):
    for _ in range(4):
        build.incident()
    exact = CappedPaginator(Incident.objects.order_by("-occurred_at"), 2, cap=10)
    assert (exact.count, exact.is_capped, exact.num_pages) == (4, False, 2)
    capped = CappedPaginator(Incident.objects.order_by("-occurred_at"), 1, cap=3)
    assert (capped.count, capped.is_capped, capped.num_pages) == (4, True, 3)
    assert [i.pk for i in capped.get_page(1)] == [Incident.objects.order_by("-occurred_at").first().pk]


def test_the_count_does_not_sort(build):
    build.incident()
    with CaptureQueriesContext(connection) as queries:
        CappedPaginator(Incident.objects.order_by("-occurred_at", "-pk"), 25).count  # noqa: B018
    assert "ORDER BY" not in queries[-1]["sql"].upper()
