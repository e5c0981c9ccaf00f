"""manage.py seed_demo: the demo trust, accounts and a case at every stage."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from incidents.models import Incident, Person
from incidents.workflow import Stage
from sanctions.audit import run_audit

ACCOUNTS = {"office": (Role.OFFICE, "asp"), "deputy": (Role.SENIOR, "asp"), "head": (Role.HEAD, "asp"),
            "chair": (Role.CHAIR, "asp"), "office2": (Role.OFFICE, "smp"), "head2": (Role.HEAD, "smp"),
            "trust": (Role.TRUST, None)}


def _counts():
    return (Trust.objects.count(), School.objects.count(), get_user_model().objects.count(),
            StaffRole.objects.count(), Person.objects.count(), Incident.objects.count())


@pytest.mark.django_db
def test_refuses_when_debug_is_off_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert _counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_runs_when_debug_is_on_without_force(capsys):
    call_command("seed_demo")
    assert Incident.objects.exists()


@pytest.mark.django_db
def test_creates_the_accounts_prints_them_and_is_idempotent(capsys):
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "conduct-demo" in out
    first = _counts()
    assert first[:2] == (1, 2)
    request = RequestFactory().post("/accounts/login/")
    for username, (role, code) in ACCOUNTS.items():
        assert username in out
        user = authenticate(request, username=username, password="conduct-demo")
        assert user is not None, username
        roles = list(StaffRole.objects.filter(user=user).values_list("role", "school__code"))
        assert roles == [(role, code)]
    call_command("seed_demo", "--force")
    assert _counts() == first


@pytest.mark.django_db
def test_first_school_has_a_case_at_every_stage_and_one_awaits_the_chair():
    call_command("seed_demo", "--force")
    first = School.objects.get(code="asp")
    stages = list(Incident.objects.filter(school=first).values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    assert stages.count(Stage.AWAITING_CHAIR) >= 1
    assert Incident.objects.filter(school__code="smp").exists()


@pytest.mark.django_db
def test_the_demo_data_passes_the_audit_and_records_who_did_what():
    call_command("seed_demo", "--force")
    assert run_audit() == []
    logged = Incident.objects.filter(school__code="asp").first().history.earliest()
    assert logged.history_user.username == "office"
