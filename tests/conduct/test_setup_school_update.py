"""Editing a school's letterhead details, Chair, representation days and site contact."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conduct import services
from tests.conduct.test_setup_story import school_data
from tests.conduct.test_uploads_security import SVG


def _url(school):
    return reverse("setup:school_edit", args=[school.pk])


def _edit(school, **overrides):
    data = school_data(school.trust, name=school.name, **overrides)
    data.pop("trust")
    data.pop("code")
    return data


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, school, admin_client, superuser_client):
    found = statuses(_url(school))
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(_url(school)).status_code == 200
    assert superuser_client.get(_url(school)).status_code == 200


def test_the_letterhead_chair_and_site_contact_change_with_history(admin_client, trust_admin, school):
    response = admin_client.post(_url(school), _edit(school, chair_name="New Chair", representation_days="21",
                                                      site_contact="Call Pat on 0100"))
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.chair_name, school.representation_days, school.site_contact) == ("New Chair", 21, "Call Pat on 0100")
    latest = school.history.first()
    assert latest.history_user == trust_admin and latest.history_change_reason == "School details changed"
    assert latest.prev_record.chair_name == "Chair of School One"


def test_the_code_cannot_change(admin_client, school):
    admin_client.post(_url(school), _edit(school) | {"code": "zzz"})
    school.refresh_from_db()
    assert school.code == "one"


def test_a_logo_is_replaced_and_the_old_file_kept_for_the_history(admin_client, school, png_bytes):
    admin_client.post(_url(school), _edit(school, logo=SimpleUploadedFile("a.png", png_bytes)))
    school.refresh_from_db()
    first = Path(school.logo.path)
    admin_client.post(_url(school), _edit(school, logo=SimpleUploadedFile("b.png", png_bytes)))
    school.refresh_from_db()
    assert Path(school.logo.path) != first and first.exists()
    admin_client.post(_url(school), _edit(school, remove_logo="on"))
    school.refresh_from_db()
    assert not school.logo
    assert school.history.count() == 4


def test_a_hostile_logo_changes_nothing(admin_client, school):
    response = admin_client.post(_url(school), _edit(school, chair_name="Changed",
                                                      logo=SimpleUploadedFile("a.png", SVG)))
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.chair_name == "Chair of School One" and not school.logo


def test_saving_without_a_change_writes_no_history(admin_client, school):
    before = school.history.count()
    data = _edit(school, head_name=school.head_name, head_title=school.head_title, chair_name=school.chair_name,
                 address=school.address, phone=school.phone, email=school.email,
                 representation_days=str(school.representation_days), max_ban_months=str(school.max_ban_months),
                 site_contact=school.site_contact)
    assert admin_client.post(_url(school), data).status_code == 302
    assert school.history.count() == before


def test_nobody_else_may_call_the_service(personas, school):
    with pytest.raises(PermissionDenied):
        services.school_update(actor=personas["head"], school=school, chair_name="Me")
    school.refresh_from_db()
    assert school.chair_name == "Chair of School One"
