from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports for the board and the trust"

    def ready(self):
        from django.db.backends.signals import connection_created

        from reports.aggregates import register_sqlite_median

        connection_created.connect(register_sqlite_median, dispatch_uid="reports_sqlite_median")
