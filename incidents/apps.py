from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "People and incidents"

    def ready(self):
        from incidents.services import register_preconditions

        register_preconditions()

        from incidents.worklists import register_sections

        register_sections()

        # The trust's schools told, not shown (issue 21.5): the case page's alert and the work list's section.
        from incidents.crossschool import case_panel_provider, home_sections
        from incidents.panels import register_case_panel_provider

        register_case_panel_provider(case_panel_provider)

        from conduct.views import EXTRA_SECTION_PROVIDERS

        if home_sections not in EXTRA_SECTION_PROVIDERS:
            EXTRA_SECTION_PROVIDERS.append(home_sections)

        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_search_indexes, sender=self)


def _ensure_search_indexes(sender, using, **kwargs):
    from django.db import connections

    from incidents.search import ensure_sqlite_search

    ensure_sqlite_search(connections[using])
