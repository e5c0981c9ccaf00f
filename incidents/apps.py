from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "People and incidents"

    def ready(self):
        from incidents.services import _register_own_preconditions

        _register_own_preconditions()

        from incidents.worklists import _register_own_sections

        _register_own_sections()
