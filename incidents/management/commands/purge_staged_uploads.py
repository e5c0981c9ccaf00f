"""Delete the evidence files kept on the incident form that nobody used (issue 25); meant for cron.

A file chosen on the incident form while the form had an error is kept for a few hours
(incidents.services.STAGED_LIFETIME) so it need not be chosen again. Each new staging clears
a few stale ones; this clears the rest. Safe on every app server at once: a row another
server deleted first is simply not there, and deleting a file that is gone is no error.
"""

from django.core.management.base import BaseCommand

from incidents.services import staged_upload_purge


class Command(BaseCommand):
    help = "Delete stale evidence files kept on the incident form while it had errors."

    def handle(self, *args, **options):
        total = 0
        while deleted := staged_upload_purge():
            total += deleted
        self.stdout.write(f"Deleted {total} stale kept files.")
