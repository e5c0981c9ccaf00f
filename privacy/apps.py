from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection: subject access, retention, access log"

    def ready(self):
        from conduct.access import register_lookup_recorder, register_view_recorder
        from privacy.access_log import access_panel_provider, record, record_lookup

        register_view_recorder(record)
        register_lookup_recorder(record_lookup)

        from incidents.panels import register_case_panel_provider

        register_case_panel_provider(access_panel_provider)

        # The home page's work lists: open subject access requests for the DPO and heads.
        from conduct.views import EXTRA_SECTION_PROVIDERS
        from privacy.worklists import request_sections

        if request_sections not in EXTRA_SECTION_PROVIDERS:
            EXTRA_SECTION_PROVIDERS.append(request_sections)
