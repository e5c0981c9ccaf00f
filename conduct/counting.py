"""Several counts in one round trip.

A home page shows a total for each of its sections: one COUNT query each cost
a round trip and an ORM compile apiece, which at seven sections was most of the
page's time. The counts are independent scalar subqueries of one SELECT.
"""

from django.db import connection


def count_each(querysets: dict) -> dict:
    """{key: queryset} -> {key: number of rows}, in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(query_params)
    with connection.cursor() as cursor:
        # Every part is SQL Django's compiler wrote for a queryset; the values travel as parameters.
        cursor.execute("SELECT " + ", ".join(parts), params)  # nosec B608
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
