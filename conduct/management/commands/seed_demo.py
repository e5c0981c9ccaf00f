"""Demo trust, schools, accounts and a year and a half of cases, built through the services.

Idempotent: accounts and schools are matched by their names; cases are only
created for a school that has none yet (conduct/demo holds the cases).
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from conduct import services
from conduct.generated import demo
from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from incidents.models import Incident

# Demo accounts only: seed_demo refuses to run with DEBUG off unless --force.
PASSWORD = "conduct-demo"  # nosec B105

SCHOOLS = [
    {"code": "asp", "name": "All Saints Primary School", "address": "1 Church Lane\nAshford\nKent TN23 1AA",
     "phone": "01233 100100", "email": "office@allsaints.example.org", "head_name": "Mrs Helen Hart",
     "head_title": "Head of School", "chair_name": "Mr Colin Chambers",
     "site_contact": "Call the Head of School on 01233 100101; if there is any threat, call 999."},
    {"code": "smp", "name": "St Mary's Church of England Primary School",
     "address": "2 Mill Road\nAshford\nKent TN24 2BB",
     "phone": "01233 200200", "email": "office@stmarys.example.org", "head_name": "Mr Hugh Howard",
     "head_title": "Head of School", "chair_name": "Ms Carol Cole",
     "site_contact": "Call the Head of School on 01233 200201; if there is any threat, call 999."},
]

# Who the trust authorised under section 547 to remove a person from each site (the register shows them).
AUTHORISED = {"asp": [("Mrs Helen Hart", "Head of School"), ("Mr Kofi Okafor", "Site manager")],
              "smp": [("Mr Hugh Howard", "Head of School")]}
AUTHORISED_FROM = date(2025, 9, 1)

ACCOUNTS = [
    ("office", "Olivia", "Office", Role.OFFICE, 0),
    ("deputy", "David", "Deputy", Role.SENIOR, 0),
    ("head", "Helen", "Hart", Role.HEAD, 0),
    ("chair", "Colin", "Chambers", Role.CHAIR, 0),
    ("office2", "Oscar", "Office", Role.OFFICE, 1),
    ("head2", "Hugh", "Howard", Role.HEAD, 1),
    ("trust", "Tara", "Trust", Role.TRUST, None),
    ("dpo", "Dana", "Protection", Role.DPO, None),
    ("setup", "Adam", "Admin", Role.ADMIN, None),
]


class Command(BaseCommand):
    help = "Create the demo trust, two schools, the demo accounts and a year and a half of cases."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Use --force to seed demo data anyway.")
        # Demo cases would otherwise email the demo staff about each step.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            trust, _ = Trust.objects.get_or_create(name="All Saints MAT")
            schools = []
            for data in SCHOOLS:
                school, _ = School.objects.get_or_create(code=data["code"], defaults={**data, "trust": trust})
                schools.append(school)
            users = {}
            for username, first, last, role, school_index in ACCOUNTS:
                user, created = get_user_model().objects.get_or_create(
                    username=username,
                    defaults={"first_name": first, "last_name": last, "email": f"{username}@conduct.example.org"},
                )
                if created:
                    user.set_password(PASSWORD)
                    user.save()
                school = schools[school_index] if school_index is not None else None
                StaffRole.objects.get_or_create(user=user, school=school, role=role)
                users[username] = user
            for school in schools:
                if not school.authorised_people.exists():
                    for name, post in AUTHORISED[school.code]:
                        services.authorised_person_add(actor=users["setup"], school=school, name=name, role=post,
                                                       authorised_from=AUTHORISED_FROM)
            empty = {school.code for school in schools if not Incident.objects.filter(school=school).exists()}
            if empty:
                demo.build(schools=schools, users=users, codes=empty)
        self.stdout.write("Demo accounts (password: conduct-demo):")
        for username, _first, _last, role, school_index in ACCOUNTS:
            where = SCHOOLS[school_index]["name"] if school_index is not None else "the whole trust"
            self.stdout.write(f"  {username:8} {Role(role).label}, {where}")
        self.stdout.write("A tour of the demo (log in as head, deputy or chair for All Saints; head2 for St Mary's):")
        for reference, _code, person, text in demo.tour():
            self.stdout.write(f"  {reference}  {person}: {text}")
