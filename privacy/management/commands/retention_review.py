"""List what has passed its retention period; with --apply, anonymise it.

Safe from cron on every server: the first to take the lock does the work and
the others stop; a record already anonymised is passed by, so a second run
changes nothing; records on hold are never touched.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from conduct.cronlock import cron_lock
from privacy import retention


class Command(BaseCommand):
    help = "List the records past their retention period; --apply anonymises them (records on hold are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonymise what is listed, then log the run.")

    def handle(self, *args, apply=False, **options):
        with cron_lock("retention_review") as acquired:
            if not acquired:
                self.stdout.write("Another server is running retention_review: nothing done here.")
                return
            now = timezone.now()
            for row in retention.review(now):
                origin = "set by the trust" if row["set_by_trust"] else "default"
                line = (f"{row['trust'].name}: {row['record_type'].label}: kept {row['months']} months ({origin}): "
                        f"{row['due']} past the period")
                if row["held_cases"]:
                    line += f", in {row['held_cases']} case(s) on hold, which are kept"
                if row["examples"]:
                    line += f"; e.g. {', '.join(row['examples'])}"
                self.stdout.write(line)
            if not apply:
                self.stdout.write("Nothing changed: run with --apply to anonymise these records.")
                return
            run = retention.apply(now)
            done = ", ".join(f"{name}: {count}" for name, count in run.counts.items())
            self.stdout.write(f"Anonymised ({done}); {run.skipped_held} record(s) on hold left as they were.")
