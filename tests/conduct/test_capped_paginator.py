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


def _newest_first():
    return Incident.objects.order_by("-occurred_at", "-pk")


def test_count_in_page_counts_with_the_rows_in_one_query(build):
    for _ in range(5):
        build.incident()
    with CaptureQueriesContext(connection) as queries:
        paginator = CappedPaginator(_newest_first(), 2, count_in_page=True)
        page = paginator.get_page("2")
        assert (paginator.count, paginator.num_pages, page.number) == (5, 3, 2)
    assert len(queries) == 1
    assert [i.pk for i in page] == [i.pk for i in _newest_first()[2:4]]
    assert page.has_next() and page.has_previous()


def test_count_in_page_past_the_end_shows_the_last_page_as_usual(build):
    for _ in range(3):
        build.incident()
    paginator = CappedPaginator(_newest_first(), 2, count_in_page=True)
    page = paginator.get_page("9")
    assert (page.number, paginator.count) == (2, 3)
    assert [i.pk for i in page] == [_newest_first().last().pk]
    assert CappedPaginator(_newest_first(), 2, count_in_page=True).get_page("junk").number == 1


def test_count_in_page_keeps_the_cap(build):
    for _ in range(4):
        build.incident()
    paginator = CappedPaginator(_newest_first(), 1, cap=3, count_in_page=True)
    paginator.get_page(1)
    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (4, True, 3)


def test_count_in_page_pages_over_values_too(build):
    for _ in range(3):
        build.incident()
    paginator = CappedPaginator(_newest_first().values("pk"), 2, count_in_page=True)
    page = paginator.get_page(1)
    assert paginator.count == 3
    assert [row["pk"] for row in page] == [i.pk for i in _newest_first()[:2]]
