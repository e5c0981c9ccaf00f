"""Check the case invariants across all schools; exit 1 and name each case that breaks one.

Only reads, but reads every case: when cron starts it on every app server at
once, one server takes the "conduct_audit" lock (conduct.cronlock) and runs it,
and the others say so and exit 0, so the database does the work once and the
one run that did it reports (and mails) any problem.
"""

from django.core.management.base import BaseCommand

from conduct.cronlock import cron_lock
from sanctions.audit import run_audit


class Command(BaseCommand):
    help = "Check the case invariants across all schools; exit 1 and name each case that breaks one."

    def handle(self, *args, **options):
        with cron_lock("conduct_audit") as acquired:
            if not acquired:
                self.stdout.write("Another server is running the audit right now; it reports any problem.")
                return
            problems = run_audit()
        for reference, problem in problems:
            self.stdout.write(f"{reference}: {problem}")
        if problems:
            self.stderr.write(f"{len(problems)} problem(s) found.")
            raise SystemExit(1)
        self.stdout.write("No problems found.")
