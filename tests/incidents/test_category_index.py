"""The category filter's count reads the (category, incident) index that migration 0009 adds."""

from django.db import connection


def test_the_link_table_has_an_index_by_category_then_case(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "incidents_incident_categories")
    by_category = constraints.get("incident_category_by_category")
    assert by_category is not None and by_category["index"]
    assert by_category["columns"] == ["breachcategory_id", "incident_id"]
