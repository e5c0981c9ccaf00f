"""A paginator whose count stays cheap however large the table grows.

Counting every match of a search across years of records costs as much as
reading them all. The list counts at most COUNT_CAP rows (the database stops
there) and says "more than 10,000" beyond it: nobody pages that far, they
narrow the filters.
"""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        # A sliced queryset counts in a subquery with LIMIT: the scan ends at cap + 1 rows. Without the
        # ordering, which a count does not need, the database need not sort the matches first.
        rows = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        return min(rows[: self.cap + 1].count(), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return self.cap // self.per_page
        return super().num_pages
