from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Responses, consultations, bans and letters"

    def ready(self):
        from sanctions.responses.services import register_preconditions

        register_preconditions()

        from sanctions.worklists import register_sections

        register_sections()

        # Complaint deadlines: the head's work list, and the trust's list of complaints at the panel stage.
        from conduct.views import EXTRA_SECTION_PROVIDERS
        from incidents.worklists import register_section
        from sanctions.complaints.worklists import complaints_due_section, trust_panel_sections

        register_section(complaints_due_section())
        if trust_panel_sections not in EXTRA_SECTION_PROVIDERS:
            EXTRA_SECTION_PROVIDERS.append(trust_panel_sections)

        from incidents.panels import register_case_panel_provider
        from sanctions.responses.views import case_panel_provider

        register_case_panel_provider(case_panel_provider)

        from sanctions.bans.views import letters_bans_panel_provider

        register_case_panel_provider(letters_bans_panel_provider)

        from sanctions.complaints.views import complaints_panel_provider

        register_case_panel_provider(complaints_panel_provider)

        # The person page lists the person's letters and bans (a merged record: those of both records).
        from incidents.panels import register_person_panel_provider
        from sanctions.bans.person_panel import person_letters_bans_provider

        register_person_panel_provider(person_letters_bans_provider)

        # The trust's cross-school check asks which people another school has banned (issue 21.5).
        from incidents.crossschool import register_ban_provider
        from sanctions.bans.selectors import pairs_banned

        register_ban_provider(pairs_banned)

        # The person picker and the duplicate guard say who has a ban in force (issue 21.1).
        from incidents.person_flags import register_banned_provider
        from sanctions.bans.selectors import people_banned_in_force

        register_banned_provider(people_banned_in_force)
