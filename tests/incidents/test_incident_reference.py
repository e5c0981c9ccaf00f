"""Each school numbers its own cases: "<CODE>-<year>-<n>", one sequence per school, never shared."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from conduct.models import School, StaffRole
from conduct.roles import Role


def _school_with_office(trust, code):
    school = School.objects.create(trust=trust, code=code, name=f"School {code}", address="a", phone="1",
                                   email="o@example.org", head_name="h", chair_name="c")
    user = get_user_model().objects.create_user(username=f"office-{code}", email=f"{code}@example.org")
    StaffRole.objects.create(user=user, role=Role.OFFICE, school=school)
    return school, user


def test_a_school_whose_code_extends_another_does_not_take_its_numbers(build, trust, school, personas):
    year = timezone.now().year
    longer, office = _school_with_office(trust, f"one-{year}")
    assert build.incident().reference == f"ONE-{year}-0001"
    assert build.incident(school=longer, actor=office).reference == f"ONE-{year}-{year}-0001"
    assert build.incident().reference == f"ONE-{year}-0002"
    assert build.incident(school=longer, actor=office).reference == f"ONE-{year}-{year}-0002"


def test_a_number_another_school_once_took_is_skipped_not_a_500(build, trust, school, personas):
    year = timezone.now().year
    first = build.incident()
    # A reference of this school's shape held by another school's case (a code given up and reused).
    type(first).objects.filter(pk=first.pk).update(reference=f"ONE-{year}-0002",
                                                   school=build.other_school)
    assert build.incident().reference == f"ONE-{year}-0001"
    assert build.incident().reference == f"ONE-{year}-0003"
