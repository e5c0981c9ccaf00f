"""conduct_backup then conduct_restore into an empty database: the same cases,
history, users and files come back, and conduct_audit passes."""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from incidents import services as incident_services
from incidents.models import Evidence, Incident, Person
from incidents.workflow import Stage
from sanctions.models import Decision

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


def _snapshot():
    return {
        "cases": sorted(Incident.objects.values_list("reference", "stage", "version", "description", "school__code")),
        "people": sorted(Person.objects.values_list("full_name", "version", "added_at_school__code")),
        "history": Incident.history.count() + Person.history.count(),
        "decisions": sorted(Decision.objects.values_list("incident__reference", "outcome")),
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_active")),
        "categories": sorted(
            Incident.categories.through.objects.values_list("incident__reference", "breachcategory__code")),
        "evidence": sorted(Evidence.objects.values_list("file", "sha256", "original_name")),
    }


@pytest.fixture
def cases(build, personas, other_school):
    made = [build.case(stage=stage) for stage in (Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION,
                                                  Stage.AWAITING_CHAIR, Stage.PROPOSED, Stage.DECIDED, Stage.CLOSED)]
    made.append(build.case(stage=Stage.DECIDED, ban=True))
    made.append(build.case(school=other_school, stage=Stage.CONVERSATION))
    incident_services.evidence_add(actor=personas["office"], incident=made[1],
                                   upload=SimpleUploadedFile("gate.png", PNG), description="Gate")
    return made


def test_backup_then_restore_into_an_empty_database(cases, tmp_path):
    before = _snapshot()
    backup = tmp_path / "backup"
    call_command("conduct_backup", output=str(backup), verbosity=0)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["incidents.Incident"] == len(cases)
    evidence = Evidence.objects.get()
    assert (backup / "media" / evidence.file.name).read_bytes() == PNG

    # An empty database and an empty MEDIA_ROOT, as on a new server.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the test's own transaction has deferred checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    evidence.file.storage.delete(evidence.file.name)
    assert not Incident.objects.exists()

    call_command("conduct_restore", input=str(backup), verbosity=0)
    assert _snapshot() == before
    call_command("conduct_audit")  # exits 1 (SystemExit) on any broken invariant
    restored = Evidence.objects.get()
    with restored.file.open("rb") as handle:
        assert handle.read() == PNG
    # People can log in with their old passwords and see their cases.
    client = Client()
    assert client.post(settings.LOGIN_URL, {"username": "head", "password": "pw-for-tests-only"}).status_code == 302
    assert client.get(cases[0].get_absolute_url()).status_code == 200
    # New cases continue the numbering without clashing with restored ids.
    new = incident_services.incident_create(
        actor=get_user_model().objects.get(username="office"), school=cases[0].school,
        occurred_at=cases[0].occurred_at, location="premises", description="After the restore.",
        categories=cases[0].categories.all(), subjects=[cases[0].subjects()[0]], reported_by="Caretaker")
    assert new.pk > max(c.pk for c in cases)


def test_restore_refuses_a_database_with_data_or_a_damaged_backup(cases, tmp_path):
    backup = tmp_path / "backup"
    call_command("conduct_backup", output=str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already holds users or cases"):
        call_command("conduct_restore", input=str(backup), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("conduct_backup", output=str(backup), verbosity=0)
    data = backup / "data.json"
    data.write_text(data.read_text().replace("Shouted at staff.", "Shouted at nobody."))
    with pytest.raises(CommandError, match="damaged"):
        call_command("conduct_restore", input=str(backup), replace=True, verbosity=0)
    assert Incident.objects.count() == len(cases)
