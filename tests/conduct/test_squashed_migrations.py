"""The squashed migrations of incidents, sanctions and privacy leave the models as the migrations they replace.

A new database (the tests' own) is built through the squashed ones, which create each model once; a database
that has the replaced ones records the squashed ones as applied. Their states must be the same, field for field
and index for index, and what the models cannot say must still be done: the breach categories seeded and the
category link table's index made. (Both databases were also compared table by table, on SQLite and PostgreSQL,
when the squash was made.)"""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

SQUASHED = {("incidents", "0001_squashed_0015_staff_harmed_riddor"), ("sanctions", "0001_squashed_0008_complaints"),
            ("privacy", "0001_squashed_0007_pack_item_complaint")}


def _models(loader, nodes):
    state = loader.project_state(nodes, at_end=True)
    return {key: (sorted((name, field.deconstruct()[1:]) for name, field in model.fields.items()),
                  sorted((name, _in_order(value)) for name, value in model.options.items()))
            for key, model in state.models.items()}


def _in_order(option):
    """Indexes and constraints compared as sets: a squash declares them in another order."""
    if isinstance(option, list) and all(hasattr(item, "deconstruct") for item in option):
        return sorted(repr(item.deconstruct()) for item in option)
    return repr(option)


def test_the_squashed_migrations_leave_the_models_as_the_replaced_ones_do():
    squashed = MigrationLoader(None, ignore_no_migrations=True)
    replaced = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    assert SQUASHED <= set(squashed.graph.nodes)
    replaced_leaves = [node for node in replaced.graph.leaf_nodes() if node not in SQUASHED]

    assert _models(squashed, squashed.graph.leaf_nodes()) == _models(replaced, replaced_leaves)
    for app, name in SQUASHED:
        # Each replaces exactly its app's migrations that the squashed graph no longer has.
        assert set(squashed.disk_migrations[app, name].replaces) == {
            node for node in replaced.graph.nodes if node[0] == app and node not in squashed.graph.nodes}


@pytest.mark.django_db
def test_a_new_database_gets_the_categories_and_the_category_index():
    from incidents.models import BreachCategory

    assert BreachCategory.objects.filter(code="threatening", policy_section="2").exists()
    assert BreachCategory.objects.count() == 13
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "incidents_incident_categories")
    assert "incident_category_by_category" in indexes
    assert indexes["incident_category_by_category"]["columns"] == ["breachcategory_id", "incident_id"]
