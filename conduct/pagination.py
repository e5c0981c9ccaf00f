"""A paginator whose count stays cheap however large the table grows.

Counting every match of a filter across years of records costs as much as
reading them all. The list counts at most COUNT_CAP rows (the database stops
there) and says "more than 10,000" beyond it: nobody pages that far, they
narrow the filters.

A search is different: to put its matches in date order the database finds
all of them anyway, so a separate COUNT repeated the whole search. With
`count_in_page` the page's own query counts the matches as it goes
(COUNT(*) OVER ()), and the search runs once.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, Window

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=COUNT_CAP, count_in_page=False, count_rows=None, **kwargs):
        """`count_rows`: the same rows as `object_list`, written as the database counts them fastest."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.count_in_page = count_in_page
        self.count_rows = count_rows

    @cached_property
    def count(self):
        # A sliced queryset counts in a subquery with LIMIT: the scan ends at cap + 1 rows. Without the
        # ordering, which a count does not need, the database need not sort the matches first.
        rows = self.object_list if self.count_rows is None else self.count_rows
        rows = rows.order_by() if hasattr(rows, "order_by") else rows
        return min(rows[: self.cap + 1].count(), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return self.cap // self.per_page
        return super().num_pages

    def get_page(self, number):
        if self.count_in_page:
            page = self._page_with_its_count(number)
            if page is not None:
                return page
        return super().get_page(number)

    def _page_with_its_count(self, number):
        """The page's rows, each carrying the number of matches; None where the usual way must decide
        (past the last row, or beyond the pages a capped list offers)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if not 1 <= number <= self.cap // self.per_page:
            return None
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(matches_in_all=Window(Count("pk")))[bottom:bottom + self.per_page])
        if not rows:
            return None
        first = rows[0]
        matches = first["matches_in_all"] if isinstance(first, dict) else first.matches_in_all
        self.__dict__["count"] = min(matches, self.cap + 1)
        return self._get_page(rows, number, self)
