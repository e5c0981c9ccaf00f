from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "People and incidents"

    def ready(self):
        from incidents.services import register_preconditions

        register_preconditions()

        from incidents.worklists import register_sections

        register_sections()

        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_search_indexes, sender=self)


def _ensure_search_indexes(sender, using, **kwargs):
    from django.db import connections

    from incidents.search import ensure_sqlite_search

    ensure_sqlite_search(connections[using])
