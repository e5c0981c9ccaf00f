from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = "Trust, schools and staff"

    def ready(self):
        # A login sets last_login, which would add a row to the account's history at every login:
        # Django's receiver is replaced by one that saves last_login without a history row.
        from django.contrib.auth.signals import user_logged_in

        from conduct import audit  # noqa: F401  (connects the login signals)

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_update_last_login_without_history, dispatch_uid="update_last_login")


def _update_last_login_without_history(sender, user, **kwargs):
    from django.utils import timezone

    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
