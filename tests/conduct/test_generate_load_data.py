"""manage.py generate_load_data: a small trust with every stage, ban status and landmark, clean by the audit."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from conduct.generated.loadgen import BUSY_CASE_EVENTS, FREQUENT_INCIDENTS, landmarks
from conduct.management.commands.seed_demo import PASSWORD
from conduct.models import School, StaffRole
from conduct.roles import Role
from incidents.models import CaseEvent, Incident, Involvement
from incidents.workflow import Stage
from incidents.worklists import with_overdue
from sanctions.audit import run_audit
from sanctions.bans.selectors import bans_in_force
from sanctions.models import BanStatus, Letter, LetterStatus, SiteBan


def _generate(*extra):
    out = StringIO()
    call_command("generate_load_data", "--schools", "3", "--incidents", "300", "--pdfs", "7", "--force", *extra,
                 stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_small_run_makes_every_stage_and_ban_status_and_passes_the_audit():
    out = _generate()
    assert "incidents_caseevent:" in out and "Done in" in out
    assert School.objects.count() == 3
    assert Incident.objects.count() == 300 + 1  # the busy case comes on top
    assert set(Incident.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(SiteBan.objects.values_list("status", flat=True)) == set(BanStatus.values)
    assert run_audit() == []
    assert with_overdue(Incident.objects.exclude(stage=Stage.CLOSED)).filter(is_overdue=True).exists()
    today = timezone.localdate()
    assert bans_in_force().filter(review_on__lte=today + timedelta(days=7)).exists()
    assert SiteBan.objects.filter(status__in=[BanStatus.INTENDED, BanStatus.PROVISIONAL],
                                  representations_by__lt=today).exists()
    # Every case's history names who made each change.
    assert not Incident.history.filter(history_user__isnull=True).exists()


@pytest.mark.django_db
def test_issued_letters_keep_real_pdf_bytes_that_match_their_hash():
    _generate()
    issued = Letter.objects.exclude(status=LetterStatus.DRAFT)
    assert issued.count() > 7
    for letter in issued:
        data = bytes(letter.pdf)
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == letter.sha256
        assert CaseEvent.objects.filter(incident_id=letter.incident_id, kind="letter",
                                        note=f"SHA-256 {letter.sha256}").exists()
    assert len({letter.sha256 for letter in issued}) >= 7


@pytest.mark.django_db
def test_the_landmarks_are_found_and_the_accounts_log_in():
    _generate()
    found = landmarks()
    busy, person = found["busy_case"], found["frequent_person"]
    assert busy.events.count() == BUSY_CASE_EVENTS
    assert busy.school.code == "asp" and person.added_at_school.code == "asp"
    assert person.incident_links.filter(involvement=Involvement.SUBJECT, incident__school__code="asp").count() == (
        FREQUENT_INCIDENTS)
    users = get_user_model().objects
    generated = School.objects.exclude(code__in=["asp", "smp"]).get()
    for username in ("office", "head", "chair", "dpo", f"office-{generated.code}", f"chair-{generated.code}"):
        assert users.get(username=username).check_password(PASSWORD), username
    assert StaffRole.objects.filter(user__username="dpo", role=Role.DPO, school__isnull=True).exists()


@pytest.mark.django_db
def test_a_second_run_is_refused_unless_appending():
    _generate()
    with pytest.raises(CommandError, match="already holds generated load data"):
        _generate()
    assert Incident.objects.count() == 301
    _generate("--append")
    assert Incident.objects.count() == 602
    assert Incident.objects.values("reference").distinct().count() == 602
    assert run_audit() == []


@pytest.mark.django_db
def test_refuses_when_debug_is_off_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_load_data", "--schools", "2", "--incidents", "10", stdout=StringIO())
    assert not Incident.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_runs_when_debug_is_on_without_force():
    call_command("generate_load_data", "--schools", "2", "--incidents", "60", "--pdfs", "1", stdout=StringIO())
    assert Incident.objects.count() == 61


def test_the_search_indexes_cover_the_generated_rows(db):
    """The generator loads with the search indexes suspended and rebuilds them: search finds what icontains finds."""
    from incidents.models import Person
    from incidents.selectors import search_incidents, search_people

    _generate()
    surname = landmarks()["frequent_person"].full_name.split()[-1]
    assert set(search_people(Person.objects.all(), surname)) == set(Person.objects.filter(full_name__icontains=surname))
    word = Incident.objects.order_by("pk").first().description.split()[3].strip(".,")
    expected = set(Incident.objects.filter(description__icontains=word))
    assert expected and expected <= set(search_incidents(Incident.objects.all(), word))
