from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = "Trust, schools and staff"

    def ready(self):
        from conduct import audit  # noqa: F401  (connects the login signals)
