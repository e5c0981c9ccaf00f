"""Adding a school: the administrator's page and the school_create service."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conduct import services
from conduct.models import School, Trust
from tests.conduct.test_setup_story import school_data
from tests.conduct.test_uploads_security import HTML, SVG

URL = reverse("setup:school_new")


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, admin_client, superuser_client):
    found = statuses(URL)
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(URL).status_code == 200
    assert superuser_client.get(URL).status_code == 200


def test_a_school_with_a_logo_is_stored_under_a_random_name_and_logged(admin_client, trust_admin, trust, png_bytes,
                                                                      caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    logo = SimpleUploadedFile("../../<script>crest.png", png_bytes, content_type="image/png")
    response = admin_client.post(URL, school_data(trust, logo=logo))
    assert response.status_code == 302
    school = School.objects.get(code="asp")
    stored = Path(school.logo.path)
    assert Path(settings.MEDIA_ROOT).resolve() in stored.resolve().parents
    assert stored.stem.isalnum() and len(stored.stem) == 32 and stored.suffix == ".png"
    assert stored.read_bytes() == png_bytes
    assert any(r.getMessage() == f"school_created user={trust_admin.pk} target=conduct.School:{school.pk} code=asp"
               for r in caplog.records)


@pytest.mark.parametrize(("name", "content"), [("crest.png", SVG), ("crest.svg", SVG), ("crest.png", HTML),
                                               ("crest.html", HTML),
                                               ("polyglot.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>")],
                         ids=["svg-as-png", "svg", "html-as-png", "html", "polyglot"])
def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_saved(admin_client, trust, name, content):
    response = admin_client.post(URL, school_data(trust, logo=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not School.objects.filter(code="asp").exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*")), "nothing reaches the disk"


def test_an_oversized_logo_is_refused(admin_client, trust, png_bytes):
    big = SimpleUploadedFile("crest.png", png_bytes + b"\x00" * services.LOGO_MAX_BYTES)
    response = admin_client.post(URL, school_data(trust, logo=big))
    assert response.status_code == 200
    assert "at most 2 MB" in response.content.decode()
    assert not School.objects.filter(code="asp").exists()


def test_the_service_checks_the_logo_itself(trust_admin, trust):
    with pytest.raises(Exception, match="does not contain what its name says"):
        services.school_create(actor=trust_admin, trust=trust, code="asp", logo=SimpleUploadedFile("a.png", SVG),
                               **{k: v for k, v in school_data(trust).items() if k not in ("trust", "code")})
    assert not School.objects.filter(code="asp").exists()


def test_a_code_already_in_use_is_refused(admin_client, trust, school):
    response = admin_client.post(URL, school_data(trust, code=school.code))
    assert response.status_code == 200
    assert "School with this Code already exists" in response.content.decode()
    assert School.objects.count() == 2


@pytest.mark.parametrize("days", ["0", "6", "91", "3000000"])
def test_representation_days_must_be_a_sane_number_of_days(admin_client, trust, days):
    response = admin_client.post(URL, school_data(trust, representation_days=days))
    assert response.status_code == 200
    assert not School.objects.filter(code="asp").exists()


@pytest.mark.parametrize("months", ["0", "25", "99999999999999999999"])
def test_the_longest_ban_is_bounded(admin_client, trust, months):
    response = admin_client.post(URL, school_data(trust, max_ban_months=months))
    assert response.status_code == 200
    assert not School.objects.filter(code="asp").exists()


def test_a_code_differing_only_by_case_is_refused(admin_client, trust, school):
    response = admin_client.post(URL, school_data(trust, code=school.code.swapcase()))
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert School.objects.filter(code__iexact=school.code).count() == 1


def test_nobody_else_may_call_the_service(personas, trust):
    fields = {k: v for k, v in school_data(trust).items() if k not in ("trust", "code")}
    for name in ("office", "head", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            services.school_create(actor=personas[name], trust=trust, code="asp", **fields)
    assert not School.objects.filter(code="asp").exists()


def test_a_new_installation_names_its_trust_first(superuser_client, superuser):
    assert not Trust.objects.exists()
    page = superuser_client.get(URL)
    assert "Set up the trust" in page.content.decode()
    response = superuser_client.post(URL, {"name": "Oak Learning Trust"})
    assert response.status_code == 302 and response["Location"] == URL
    trust = Trust.objects.get()
    assert trust.history.get().history_user == superuser
    assert superuser_client.post(URL, school_data(trust)).status_code == 302
    assert School.objects.get().trust == trust
