from django.core.management.base import BaseCommand

from sanctions.audit import run_audit


class Command(BaseCommand):
    help = "Check the case invariants across all schools; exit 1 and name each case that breaks one."

    def handle(self, *args, **options):
        problems = run_audit()
        for reference, problem in problems:
            self.stdout.write(f"{reference}: {problem}")
        if problems:
            self.stderr.write(f"{len(problems)} problem(s) found.")
            raise SystemExit(1)
        self.stdout.write("No problems found.")
