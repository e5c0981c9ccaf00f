"""A person banned at school one, then named at school two: shared by the tests of issue 21.5's alerts."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from conduct.models import StaffRole
from conduct.roles import Role
from incidents import services as incident_services
from incidents.models import BreachCategory, Location, Relationship
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute

SECRET_DESCRIPTION = "Threw a chair across the reception of school one."


def banned_at_one(build, personas, school, *, days_ago=1):
    """A decided case at school one (its description distinctive) and a provisional ban in force on its subject."""
    case = build.case(stage=Stage.DECIDED, ban=True, categories=("threatening", "aggression"), days_ago=days_ago)
    type(case).objects.filter(pk=case.pk).update(description=SECRET_DESCRIPTION)
    case.refresh_from_db()
    today = timezone.localdate()
    ban = ban_services.ban_create(
        actor=personas["head"], incident=case, person=case.subjects()[0], route=BanRoute.PROVISIONAL,
        sites=[school], starts_on=today, ends_on=today + timedelta(days=180), review_on=today + timedelta(days=90),
        pupil_arrangements="Collected from the office by an aunt.", reasons="Staff felt threatened.")
    return case, ban


def named_at_two(personas, other_school, person, *, description="Raised voice at the gate."):
    """School two's office logs a case naming `person`."""
    return incident_services.incident_create(
        actor=personas["other_office"], school=other_school, occurred_at=timezone.now() - timedelta(hours=2),
        location=Location.PREMISES, description=description,
        categories=BreachCategory.objects.filter(code__in=["offensive-language"]), subjects=[person],
        reported_by="Class teacher")


def lookalike_at_two(personas, other_school, *, name="Pat Parent", email="pat@example.com", phone="", address=""):
    """Another record at school two, with the builder's person's name and email (a likely match)."""
    return incident_services.person_create(
        actor=personas["other_office"], school=other_school, full_name=name, relationship=Relationship.PARENT,
        email=email, phone=phone, address=address)


def dpo_user():
    user = get_user_model().objects.create_user(username="dpo", password="pw-for-tests-only", first_name="Dana")
    StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    return user
