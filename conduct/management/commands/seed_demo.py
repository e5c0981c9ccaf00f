"""Demo trust, schools, accounts and cases, built through the services.

Idempotent: accounts and schools are matched by their names; cases are only
created for a school that has none yet.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from incidents import services as incident_services
from incidents.models import BreachCategory, Incident, Location, Relationship, StatementKind
from incidents.workflow import Stage
from sanctions import services as sanction_services
from sanctions.models import ActionKind, ConsultationMethod, DecisionOutcome

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

ACCOUNTS = [
    ("office", "Olivia", "Office", Role.OFFICE, 0),
    ("deputy", "David", "Deputy", Role.SENIOR, 0),
    ("head", "Helen", "Hart", Role.HEAD, 0),
    ("chair", "Colin", "Chambers", Role.CHAIR, 0),
    ("office2", "Oscar", "Office", Role.OFFICE, 1),
    ("head2", "Hugh", "Howard", Role.HEAD, 1),
    ("trust", "Tara", "Trust", Role.TRUST, None),
]


class Command(BaseCommand):
    help = "Create the demo trust, two schools, the demo accounts and some cases."

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
            if not Incident.objects.filter(school=schools[0]).exists():
                self._cases_first_school(schools[0], users)
            if not Incident.objects.filter(school=schools[1]).exists():
                self._cases_second_school(schools[1], users)
        self.stdout.write("Demo accounts (password: conduct-demo):")
        for username, _first, _last, role, school_index in ACCOUNTS:
            where = SCHOOLS[school_index]["name"] if school_index is not None else "all schools (read-only)"
            self.stdout.write(f"  {username:8} {Role(role).label}, {where}")

    def _incident(self, school, user, days_ago, categories, subjects, text, location=Location.PREMISES,
                  detail="the main gate at pick-up time"):
        return incident_services.incident_create(
            actor=user, school=school, occurred_at=timezone.now() - timedelta(days=days_ago, hours=3),
            location=location, location_detail=detail, description=text,
            categories=BreachCategory.objects.filter(code__in=categories), subjects=subjects,
            reported_by="Class teacher", pupils_affected="", staff_affected="",
        )

    def _person(self, school, user, name, pupil, relationship=Relationship.PARENT):
        return incident_services.person_create(
            actor=user, school=school, full_name=name, relationship=relationship,
            address="10 High Street\nAshford\nKent TN23 9ZZ", phone="07700 900000",
            email=f"{name.split()[-1].lower()}@example.com", pupils=[{"name": pupil, "year_group": "Year 4"}],
        )

    def _gathered(self, incident, deputy):
        incident_services.incident_transition(actor=deputy, incident=incident, to_stage=Stage.GATHERING)
        incident_services.statement_add(
            actor=deputy, incident=incident, kind=StatementKind.STAFF, given_by="Mr Lee, Year 4 teacher",
            taken_on=timezone.now() - timedelta(days=1), text="I saw the parent shouting at the gate.",
        )
        incident_services.statement_add(
            actor=deputy, incident=incident, kind=StatementKind.PUPIL, given_by="The pupil",
            taken_on=timezone.now() - timedelta(days=1), others_present="Mrs Patel, class teaching assistant",
            text="My dad was cross because Jamie pushed me at lunch.",
        )
        incident_services.incident_transition(actor=deputy, incident=incident, to_stage=Stage.CONVERSATION)
        incident_services.conversation_record(
            actor=deputy, incident=incident, took_place=True, held_on=timezone.now() - timedelta(hours=20),
            present="Deputy head and the parent", parent_said="He accepted that he had raised his voice.",
            agreed="He will raise concerns with the class teacher by appointment.",
        )

    def _cases_first_school(self, school, users):
        office, deputy, head, chair = users["office"], users["deputy"], users["head"], users["chair"]
        p = [self._person(school, office, name, pupil) for name, pupil in [
            ("Mark Brown", "Amy Brown"), ("Sarah Green", "Tom Green"), ("Paul White", "Lily White"),
            ("Karen Black", "Jack Black"), ("Steven Grey", "Mia Grey"), ("Lisa Stone", "Noah Stone"),
            ("Gary Field", "Ella Field"),
        ]]
        self._incident(school, office, 1, ["offensive-language"], [p[0]],
                       "Shouted and swore at the office window when told the school trip was full.")
        gathering = self._incident(school, office, 4, ["disruptive-behaviour"], [p[1]],
                                   "Refused to leave the playground at the start of the school day.")
        incident_services.incident_transition(actor=deputy, incident=gathering, to_stage=Stage.GATHERING)
        conversation = self._incident(school, office, 6, ["approaching-child"], [p[2]],
                                      "Approached another pupil at the gate to tell them off.")
        incident_services.incident_transition(actor=deputy, incident=conversation, to_stage=Stage.GATHERING)
        incident_services.statement_add(actor=deputy, incident=conversation, kind=StatementKind.STAFF,
                                        given_by="Gate supervisor", taken_on=timezone.now() - timedelta(days=5),
                                        text="The parent leaned over and spoke sharply to the child.")
        incident_services.incident_transition(actor=deputy, incident=conversation, to_stage=Stage.CONVERSATION)

        proposed = self._incident(school, office, 8, ["abusive-messages"], [p[3]],
                                  "Sent three abusive emails to the class teacher over a weekend.",
                                  location=Location.ONLINE, detail="email to the class teacher")
        self._gathered(proposed, deputy)
        sanction_services.proposal_submit(actor=deputy, incident=proposed, actions=[ActionKind.WARNING_LETTER],
                                          rationale="A first incident of this kind: a warning is proportionate.")

        awaiting = self._incident(school, office, 10, ["threatening", "aggression"], [p[4]],
                                  "Threatened the deputy head and pushed past her into the building.")
        self._gathered(awaiting, deputy)
        sanction_services.proposal_submit(
            actor=deputy, incident=awaiting, actions=[ActionKind.SITE_BAN, ActionKind.AUTHORITIES],
            rationale="Staff felt threatened; physical contact with a member of staff.",
            ban_justification="The threat and the push put staff at immediate risk.",
        )

        decided = self._incident(school, office, 14, ["dogs", "inappropriate-behaviour"], [p[5]],
                                 "Brought a dog into the playground again after being asked not to.")
        self._gathered(decided, deputy)
        sanction_services.proposal_submit(actor=deputy, incident=decided,
                                          actions=[ActionKind.MEETING, ActionKind.WARNING_LETTER],
                                          rationale="Repeated after a verbal request; a meeting and a letter.")
        sanction_services.decision_record(actor=head, incident=decided, outcome=DecisionOutcome.APPROVED,
                                          reasons="Proportionate to a repeated, low-risk breach.")

        closed = self._incident(school, office, 30, ["smoking-drugs-alcohol"], [p[6]],
                                "Smoking by the school gate during pick-up.")
        self._gathered(closed, deputy)
        sanction_services.proposal_submit(actor=deputy, incident=closed, actions=[ActionKind.MEETING],
                                          rationale="A first, minor breach: a conversation suffices.")
        decision = sanction_services.decision_record(actor=head, incident=closed, outcome=DecisionOutcome.APPROVED,
                                                     reasons="Agreed.")
        for action in decision.followups.all():
            sanction_services.action_complete(actor=head, action=action, done_on=timezone.localdate(),
                                              details="Met the parent, who apologised.")
        sanction_services.case_close(actor=head, incident=closed, outcome="The parent apologised; no further breach.")
        _ = (chair, ConsultationMethod)

    def _cases_second_school(self, school, users):
        office2 = users["office2"]
        person = self._person(school, office2, "Nina Jones", "Leo Jones")
        self._incident(school, office2, 2, ["derogatory-social-media"], [person],
                       "Posted derogatory comments about a teacher in a parents' Facebook group.",
                       location=Location.ONLINE, detail="a parents' Facebook group")
        self._incident(school, office2, 5, ["dogs"], [person], "Brought a dog into the playground.")
