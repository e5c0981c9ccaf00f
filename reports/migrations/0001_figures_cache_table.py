"""The shared cache table the dashboard keeps its figures in (conduct.settings CACHES).

createcachetable is idempotent; running it from a migration means every
database that is migrated (a new server, the tests, the benchmark) has it,
with no extra deployment step.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
