"""Trigram indexes for the incident search on PostgreSQL.

The search matches words anywhere in an incident's account and in people's
names (Django's icontains: UPPER(column) LIKE UPPER('%words%')). A btree index
cannot serve a pattern with a leading wildcard; a trigram GIN index on the same
UPPER() expression can, so the search reads the index instead of every row.
pg_trgm is a trusted extension: the database owner may create it.

SQLite has no trigram index; there the search scans, which is what the
fallback is. The indexes are not in the models' Meta because SQLite cannot
create them; this migration does nothing on other databases.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The incident list's search: words in the account.
    "CREATE INDEX IF NOT EXISTS incident_description_trgm ON incidents_incident "
    "USING gin (UPPER(description) gin_trgm_ops)",
    # The incident list's search by a person's name, and the people list's search.
    "CREATE INDEX IF NOT EXISTS person_full_name_trgm ON incidents_person "
    "USING gin (UPPER(full_name) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS incident_description_trgm",
    "DROP INDEX IF EXISTS person_full_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_list_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
