from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conduct.generated import loadgen


class Command(BaseCommand):
    help = (
        "Fill the database with realistic load data by bulk inserts: schools, staff accounts (password "
        f"{loadgen.PASSWORD}), people, incidents at every stage with their timelines and history, proposals, "
        "Chair consultations, decisions, bans in every status and letters. Refuses a database that already "
        "holds generated data unless --append is given, and refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20, help="Schools in the trust, at least 2 (default 20).")
        parser.add_argument("--incidents", type=int, default=200000, help="Incidents to write (default 200000).")
        parser.add_argument("--people", type=int, default=None, help="People to write (default incidents / 3).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed: the same seed, the same data.")
        parser.add_argument("--pdfs", type=int, default=50,
                            help="Letters rendered to real PDFs (default 50); other issued letters share their bytes.")
        parser.add_argument("--append", action="store_true",
                            help="Add to a database that already holds generated data (the landmarks are added again).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, schools, incidents, people, seed, pdfs, append, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to generate load data anyway.")
        try:
            loadgen.generate(schools=schools, incidents=incidents, people=people, seed=seed, pdfs=pdfs,
                             append=append, out=self.stdout.write)
        except loadgen.GeneratedDataExists as error:
            raise CommandError(str(error)) from error
