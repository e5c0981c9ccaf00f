"""Release: one PDF and a ZIP with the letters, released files and a manifest of checksums."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from privacy import services
from privacy.models import ItemKind, Pack, PackItem, Redaction, RequestStatus
from tests.sanctions.conftest import pdf_text

THIRD_PARTIES = ["Olive Other", "Wendy Witness", "Tom Other", "Mrs Teach", "Teach", "Olive", "Wendy", "Tom"]


@pytest.fixture
def gathered(family, make_request, dpo):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    return request


def _pupil_statement(request):
    return PackItem.objects.get(request=request, kind=ItemKind.STATEMENT, needs_head_decision=True)


def _decide_pupil(request, personas, decision="withhold"):
    services.item_decide(actor=personas["head"], item=_pupil_statement(request), decision=decision,
                         reason="The child's own account; releasing it would not be in the child's interest.")


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_the_pack_holds_every_record_and_no_third_party_name(gathered, family, personas, dpo):
    _decide_pupil(gathered, personas)
    pack = services.request_release(actor=dpo, request=gathered)
    text = pdf_text(_read(pack.pdf))
    for expected in ("Your subject access request", "Dear Pat Parent", family.case.reference,
                     family.other_case.reference, "Index of the records", "Sam Parent", "pat@example.com",
                     "Shouted at staff.", "A first breach: a warning is proportionate.", "[redacted: witness]",
                     "[redacted: other parent or visitor]", "[redacted: pupil]", "[redacted: member of staff]",
                     "withheld by decision of the head", family.letter.sha256[:16]):
        assert expected in text, expected
    for name in THIRD_PARTIES:
        assert f" {name} " not in f" {text} ", name
    assert "I was scared" not in text  # the pupil's own account, withheld by the head
    gathered.refresh_from_db()
    assert gathered.status == RequestStatus.RELEASED
    assert gathered.events.last().kind == "released"


def test_the_zip_holds_the_pdf_the_letters_and_a_manifest_of_checksums(gathered, family, personas, dpo):
    _decide_pupil(gathered, personas)
    evidence = PackItem.objects.get(request=gathered, kind=ItemKind.EVIDENCE)
    services.item_decide(actor=dpo, item=evidence, decision="release", reason="It shows the gate only.")
    pack = services.request_release(actor=dpo, request=gathered)
    archive = zipfile.ZipFile(io.BytesIO(_read(pack.zip)))
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["name"] for f in manifest["files"]} == set(names) - {"manifest.json", "SHA256SUMS.txt"}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    letter_name = next(n for n in names if n.startswith("letters/"))
    assert archive.read(letter_name) == bytes(family.letter.pdf)
    assert archive.read(f"{gathered.reference}-pack.pdf") == _read(pack.pdf)
    assert any(n.startswith("evidence/") and n.endswith("gate.png") for n in names)
    assert hashlib.sha256(_read(pack.zip)).hexdigest() == pack.zip_sha256
    sums = archive.read("SHA256SUMS.txt").decode()
    assert f"{family.letter.sha256}  {letter_name}" in sums


def test_withheld_evidence_stays_out_of_the_zip(gathered, personas, dpo):
    _decide_pupil(gathered, personas)
    pack = services.request_release(actor=dpo, request=gathered)
    names = zipfile.ZipFile(io.BytesIO(_read(pack.zip))).namelist()
    assert not any(n.startswith("evidence/") for n in names)
    assert "The file itself is withheld" in pdf_text(_read(pack.pdf))


def test_a_released_name_appears(gathered, personas, dpo):
    _decide_pupil(gathered, personas)
    for redaction in Redaction.objects.filter(item__request=gathered, term="Wendy Witness"):
        services.redaction_decide(actor=dpo, redaction=redaction, decision="release",
                                  reason="Wendy agreed to be named.")
    text = pdf_text(_read(services.request_release(actor=dpo, request=gathered).pdf))
    assert "Wendy Witness" in text
    assert "Olive Other" not in text


def test_a_pupils_statement_waits_for_the_heads_decision(gathered, personas, dpo):
    with pytest.raises(ValidationError, match="The head has not yet decided"):
        services.request_release(actor=dpo, request=gathered)
    with pytest.raises(PermissionDenied):
        services.item_decide(actor=dpo, item=_pupil_statement(gathered), decision="release", reason="Fine.")
    _decide_pupil(gathered, personas, decision="release")
    text = pdf_text(_read(services.request_release(actor=dpo, request=gathered).pdf))
    assert "I was scared" in text


def test_head2_cannot_release_a_pack_holding_the_first_schools_records(family, make_request, personas, dpo):
    request = make_request(personas["other_head"], school=family.other_school)
    services.request_gather(actor=dpo, request=request)
    _decide_pupil(request, personas)
    with pytest.raises(PermissionDenied):
        services.request_release(actor=personas["other_head"], request=request)
    assert not Pack.objects.exists()


def test_head2_releases_their_own_schools_pack(family, make_request, personas):
    head2 = personas["other_head"]
    request = make_request(head2, school=family.other_school)
    services.request_gather(actor=head2, request=request)
    text = pdf_text(_read(services.request_release(actor=head2, request=request).pdf))
    assert family.other_case.reference in text and family.case.reference not in text


def test_nothing_held(family, make_request, dpo):
    request = make_request(dpo, school=False, person=None, requester_name="Norah Nobody")
    services.request_gather(actor=dpo, request=request)
    text = pdf_text(_read(services.request_release(actor=dpo, request=request).pdf))
    assert "We hold no personal information about you" in text and "Dear Norah Nobody" in text


def test_identity_must_be_checked_first(family, make_request, dpo):
    request = make_request(dpo, school=False, identity=False)
    services.request_gather(actor=dpo, request=request)
    with pytest.raises(ValidationError, match="identity"):
        services.request_release(actor=dpo, request=request)


def test_a_failed_build_leaves_no_half_released_pack(gathered, personas, dpo, monkeypatch):
    _decide_pupil(gathered, personas)
    evidence = PackItem.objects.get(request=gathered, kind=ItemKind.EVIDENCE)
    services.item_decide(actor=dpo, item=evidence, decision="release", reason="It shows the gate only.")
    saved = []
    original = default_storage.save

    def save_then_remember(name, content, **kwargs):
        saved.append(original(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save_then_remember)
    monkeypatch.setattr("privacy.pack.event_record", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.request_release(actor=dpo, request=gathered)
    gathered.refresh_from_db()
    assert gathered.status == RequestStatus.IN_REVIEW
    assert not Pack.objects.exists()
    assert saved and not any(default_storage.exists(name) for name in saved)


def test_a_released_pack_is_frozen(gathered, personas, dpo):
    _decide_pupil(gathered, personas)
    pack = services.request_release(actor=dpo, request=gathered)
    with pytest.raises(ValueError, match="never changes"):
        pack.save()
    with pytest.raises(ValidationError, match="answered"):
        services.request_gather(actor=dpo, request=gathered)
    with pytest.raises(ValidationError, match="answered"):
        services.redaction_decide(actor=dpo, redaction=Redaction.objects.filter(item__request=gathered).first(),
                                  decision="release", reason="Late.")


def test_bans_their_letters_and_representations_are_in_the_pack(family, build, personas, make_request, dpo):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from sanctions.bans import services as ban_services

    head, today = personas["head"], timezone.localdate()
    ban_case = build.case(stage="decided", ban=True, person=family.pat)
    ban = ban_services.ban_create(
        actor=head, incident=ban_case, person=family.pat, route="provisional", sites=[family.school],
        starts_on=today, ends_on=today + timedelta(days=90), review_on=today + timedelta(days=30),
        pupil_arrangements="Sam is collected at the office.", reasons="Pat threatened staff at the gate.")
    reply = b"%PDF-1.4 my reply"
    upload = SimpleUploadedFile("reply.pdf", reply, content_type="application/pdf")
    ban_services.representation_record(actor=personas["senior"], ban=ban, received_on=today,
                                       summary="Pat says she was upset.", attachment=upload)
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    _decide_pupil(request, personas)
    pack = services.request_release(actor=dpo, request=request)
    text = pdf_text(_read(pack.pdf))
    assert "Pat threatened staff at the gate." in text and "Pat says she was upset." in text
    archive = zipfile.ZipFile(io.BytesIO(_read(pack.zip)))
    assert [archive.read(n) for n in archive.namelist() if n.startswith("representations/")] == [reply]
    assert sum(1 for n in archive.namelist() if n.startswith("letters/")) == 1 + ban.letters.filter(
        status="issued").count()


# Names are redacted as whole names, wherever the pack prints text (issue 19, point 4) ------------


@pytest.fixture
def lena(personas, school):
    """Lena Lee (child Ann Lee), whose case has a witness, Erin Evidencename, who is also named in Lena's
    own notes and in the photo's file name, and another pupil, Joann Leeds."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from incidents import services as incident_services
    from incidents.models import BreachCategory, Location, Relationship

    from .conftest import PNG

    office = personas["office"]
    lena = incident_services.person_create(
        actor=office, school=school, full_name="Lena Lee", relationship=Relationship.PARENT, address="2 Road",
        pupils=[{"name": "Ann Lee", "year_group": "Year 2"}],
        notes="Erin Evidencename says Lena was calm the week before.")
    erin = incident_services.person_create(actor=office, school=school, full_name="Erin Evidencename",
                                           relationship=Relationship.VISITOR)
    incident_services.incident_create(
        actor=office, school=school, occurred_at=timezone.now() - timedelta(days=3), location=Location.PREMISES,
        description="Lena Lee shouted at Joann Leeds by the gate; Ann Lee cried. Erin's photo shows it.",
        categories=BreachCategory.objects.filter(code="offensive-language"), subjects=[lena], witnesses=[erin],
        pupils_affected="Joann Leeds (Year 2)", reported_by="Erin Evidencename",
        evidence_files=[(SimpleUploadedFile("Erin Evidencename at the gate.png", PNG, content_type="image/png"),
                         "The gate")])
    return lena


@pytest.fixture
def lena_pack(lena, dpo):
    from django.utils import timezone

    request = services.request_create(
        actor=dpo, school=None, person=lena, requester_name="Lena Lee", reply_to="2 Road",
        received_on=timezone.localdate(), channel="email", identity_method="known")
    services.request_gather(actor=dpo, request=request)
    evidence = PackItem.objects.get(request=request, kind=ItemKind.EVIDENCE)
    services.item_decide(actor=dpo, item=evidence, decision="release", reason="It shows the gate only.")
    pack = services.request_release(actor=dpo, request=request)
    return pack, pdf_text(_read(pack.pdf)), zipfile.ZipFile(io.BytesIO(_read(pack.zip)))


def test_an_evidence_files_name_is_redacted_in_its_title_and_in_the_zip(lena_pack):
    pack, text, archive = lena_pack
    assert "at the gate.png" in text
    assert "Evidencename" not in text
    assert not any("Evidencename" in name for name in archive.namelist())
    assert "Evidencename" not in archive.read("manifest.json").decode()
    assert any(n.startswith("evidence/") and n.endswith("at-the-gate.png") for n in archive.namelist())


def test_a_witness_named_in_the_requesters_own_notes_is_redacted(lena_pack):
    from privacy.models import PackItem as Item

    pack, text, _archive = lena_pack
    notes = [value for item in Item.objects.filter(request=pack.request, kind=ItemKind.PERSON)
             for _label, value in item.fields if "Erin Evidencename says" in value]
    assert notes, "the notes are gathered"
    assert "Erin" not in text
    assert "[redacted: witness] says Lena was calm" in text


def test_another_pupil_is_redacted_though_their_name_holds_the_childs(lena_pack):
    _pack, text, _archive = lena_pack
    assert "Joann" not in text and "Leeds" not in text
    assert "shouted at [redacted: pupil] by the gate; Ann Lee cried" in text


def test_a_stopped_clock_holds_the_release_and_the_release_says_the_days_stopped(family, make_request, personas,
                                                                                 dpo):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    request = make_request(dpo, school=False, received_on=today - timedelta(days=5))
    services.request_gather(actor=dpo, request=request)
    _decide_pupil(request, personas)
    services.request_pause(actor=dpo, request=request, reason="identity", detail="Asked for ID.",
                           paused_from=today - timedelta(days=3))
    with pytest.raises(ValidationError, match="restart it before releasing"):
        services.request_release(actor=dpo, request=request)
    assert not Pack.objects.filter(request=request).exists()
    services.request_resume(actor=dpo, request=request, resumed_on=today)
    services.request_release(actor=dpo, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.RELEASED
    assert "the clock was stopped 3 days" in request.events.last().summary
