"""MEDIA_STORAGE=s3: evidence, photos, logos and attachments in a bucket, read only through the permission checks.

The bucket is moto's S3 server in this process, listening on 127.0.0.1 only;
boto3 gets fake credentials and a region from the test, so it never looks for
instance metadata or any other address.
"""

import json
import logging
import uuid
from datetime import timedelta

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from conduct.env import media_storage
from incidents.models import Evidence, Incident
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.letters import rendering as renderer
from sanctions.letters import services as letter_services
from sanctions.models import BanRoute, LetterKind

REGION = "eu-west-2"
PREFIX = "conduct-media"


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free loopback port, for the whole run."""
    with pytest.MonkeyPatch.context() as patch:
        # Nothing outside the test may choose credentials, a region, a profile or a proxy for boto3.
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent", "NO_PROXY": "127.0.0.1",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        }.items():
            patch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            patch.delenv(name, raising=False)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request otherwise
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        assert host == "127.0.0.1"
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


class Bucket:
    def __init__(self, endpoint):
        self.name = f"conduct-test-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
        self.client.create_bucket(Bucket=self.name, CreateBucketConfiguration={"LocationConstraint": REGION})

    def keys(self):
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, name):
        return self.client.get_object(Bucket=self.name, Key=f"{PREFIX}/{name}")["Body"].read()

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new, empty bucket, and the settings a deployment would use for it (through conduct.env)."""
    made = Bucket(s3_endpoint)
    for name, value in {"MEDIA_STORAGE": "s3", "S3_BUCKET": made.name, "S3_ENDPOINT_URL": s3_endpoint,
                        "S3_REGION": REGION, "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
                        "S3_PREFIX": PREFIX}.items():
        monkeypatch.setenv(name, value)
    # Changing STORAGES resets default_storage, which every FileField here uses.
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    assert Evidence._meta.get_field("file").storage is default_storage
    assert isinstance(default_storage, S3Storage)
    return made


def _nothing_on_disk(settings):
    media_root = settings.MEDIA_ROOT
    return not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


@pytest.fixture
def uploaded(bucket, build, client_as, png_bytes):
    """Evidence added through the incident's evidence page by the office."""
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("office").post(reverse("incidents:evidence_add", args=[incident.pk]),
                                        {"files": SimpleUploadedFile("gate photo.png", png_bytes),
                                         "description": "The gate"})
    assert response.status_code == 302, response.content.decode()[:500]
    return incident.evidence.get()


def test_evidence_uploaded_through_the_page_lands_in_the_bucket(uploaded, bucket, png_bytes, settings):
    assert uploaded.file.name.startswith(f"evidence/{uploaded.incident.school_id}/")
    assert bucket.keys() == [f"{PREFIX}/{uploaded.file.name}"]
    assert bucket.read(uploaded.file.name) == png_bytes
    assert _nothing_on_disk(settings)
    # No filesystem path exists for it: any reader still using .path would fail here.
    with pytest.raises(NotImplementedError):
        uploaded.file.path  # noqa: B018


def test_the_permitted_user_downloads_the_exact_bytes(uploaded, client_as, png_bytes):
    response = client_as("office").get(reverse("incidents:evidence_download", args=[uploaded.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="gate photo.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes


def test_another_school_gets_404_and_a_visitor_the_login_page(uploaded, client_as):
    url = reverse("incidents:evidence_download", args=[uploaded.pk])
    assert client_as("other_office").get(url).status_code == 404
    response = client_as("anonymous").get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_objects_are_private(uploaded, bucket):
    # Not readable without credentials: nothing may reach a file except through the views.
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=f"{PREFIX}/{uploaded.file.name}")["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)


def test_a_second_file_with_the_same_name_never_replaces_the_first(bucket):
    first = default_storage.save("logos/logo.png", ContentFile(b"first"))
    second = default_storage.save("logos/logo.png", ContentFile(b"second"))
    assert first == "logos/logo.png" and second != first
    assert bucket.read(first) == b"first" and bucket.read(second) == b"second"


def _ban(build, personas, school):
    incident = build.case(stage=Stage.DECIDED, ban=True, categories=("threatening",))
    today = timezone.localdate()
    return ban_services.ban_create(
        actor=personas["head"], incident=incident, person=incident.subjects()[0], route=BanRoute.PROVISIONAL,
        sites=[school], starts_on=today, ends_on=today + timedelta(days=90), review_on=today + timedelta(days=45),
        pupil_arrangements="Collected at the office.", reasons="Staff felt threatened.")


def test_a_persons_photo_on_the_ban_register(bucket, build, personas, school, client_as, png_bytes):
    ban = _ban(build, personas, school)
    ban.person.photo.save("p.png", ContentFile(png_bytes))
    assert f"{PREFIX}/{ban.person.photo.name}" in bucket.keys()
    url = reverse("sanctions:register_photo", args=[ban.pk])
    response = client_as("office").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes
    assert response["Content-Type"] == "image/png"
    assert client_as("other_office").get(url).status_code == 404


def test_a_representation_attachment_through_its_pages(bucket, build, personas, school, client_as):
    ban = _ban(build, personas, school)
    upload = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 their reply", content_type="application/pdf")
    response = client_as("head").post(reverse("sanctions:representation_new", args=[ban.pk]), {
        "received_on": timezone.localdate().isoformat(), "summary": "Sorry.", "attachment": upload})
    assert response.status_code == 302
    representation = ban.representations.get()
    assert bucket.read(representation.attachment.name) == b"%PDF-1.4 their reply"
    url = reverse("sanctions:representation_attachment", args=[representation.pk])
    download = client_as("senior").get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 their reply"
    assert client_as("other_head").get(url).status_code == 404


def test_a_letter_renders_with_the_logo_from_the_bucket(bucket, build, personas, school, png_bytes):
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 40), "navy").save(out, "PNG")
    school.logo.save("logo.png", ContentFile(out.getvalue()))
    assert f"{PREFIX}/{school.logo.name}" in bucket.keys()
    letter = letter_services.letter_draft(actor=personas["senior"], incident=build.case(stage=Stage.DECIDED),
                                          kind=LetterKind.WARNING)
    assert renderer.logo_data_uri(letter.incident.school).startswith("data:image/png;base64,")
    assert b"/Subtype /Image" in renderer.letter_pdf(letter)


def test_backup_reads_the_bucket_and_restore_writes_it_back(uploaded, bucket, build, personas, school, png_bytes,
                                                            tmp_path, settings):
    ban = _ban(build, personas, school)
    ban.person.photo.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\nphoto"))
    names = sorted([uploaded.file.name, ban.person.photo.name])
    backup = tmp_path / "backup"
    call_command("conduct_backup", output=str(backup), verbosity=0)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert sorted(manifest["media"]) == names
    assert (backup / "media" / uploaded.file.name).read_bytes() == png_bytes

    # A new database and an empty bucket, as after losing both.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the test's own transaction has deferred checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    bucket.empty()
    assert not Incident.objects.exists() and bucket.keys() == []

    call_command("conduct_restore", input=str(backup), verbosity=0)
    assert bucket.keys() == [f"{PREFIX}/{name}" for name in names]
    assert bucket.read(uploaded.file.name) == png_bytes
    restored = Evidence.objects.get()
    with restored.file.open("rb") as handle:
        assert handle.read() == png_bytes
    assert _nothing_on_disk(settings)


def test_restore_refuses_a_bucket_holding_different_bytes_under_a_name(uploaded, bucket, tmp_path):
    backup = tmp_path / "backup"
    call_command("conduct_backup", output=str(backup), verbosity=0)
    bucket.client.put_object(Bucket=bucket.name, Key=f"{PREFIX}/{uploaded.file.name}", Body=b"something else")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already has a different"):
        call_command("conduct_restore", input=str(backup), replace=True, verbosity=0)
    assert bucket.read(uploaded.file.name) == b"something else"
