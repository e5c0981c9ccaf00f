"""Giving and removing roles on a member of staff's page."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conduct import services
from conduct.models import StaffRole
from conduct.roles import Role


def _detail(user):
    return reverse("setup:staff_detail", args=[user.pk])


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, personas, admin_client, superuser_client):
    found = statuses(_detail(personas["office"]))
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(_detail(personas["office"])).status_code == 200
    assert superuser_client.get(_detail(personas["office"])).status_code == 200


def test_a_role_at_another_school_is_given_with_history(admin_client, trust_admin, personas, other_school, caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    office = personas["office"]
    response = admin_client.post(_detail(office), {"role": Role.SENIOR, "schools": [other_school.pk]})
    assert response.status_code == 302
    role = StaffRole.objects.get(user=office, school=other_school)
    assert role.role == Role.SENIOR
    record = role.history.get()
    assert record.history_user == trust_admin and record.history_change_reason == "Role granted"
    assert any(r.getMessage().startswith(f"staff_role_granted user={trust_admin.pk} target=conduct.StaffRole:{role.pk}")
               for r in caplog.records)


def test_a_role_they_hold_already_is_refused(admin_client, personas, school):
    response = admin_client.post(_detail(personas["office"]), {"role": Role.OFFICE, "schools": [school.pk]})
    assert response.status_code == 200 and "is already Office at School One" in response.content.decode()
    assert personas["office"].staff_roles.count() == 1


def test_a_role_is_removed_and_the_history_keeps_it(admin_client, trust_admin, personas):
    role = personas["senior"].staff_roles.get()
    response = admin_client.post(reverse("setup:role_revoke", args=[role.pk]))
    assert response.status_code == 302 and response["Location"] == _detail(personas["senior"])
    assert not StaffRole.objects.filter(pk=role.pk).exists()
    removed = StaffRole.history.filter(id=role.pk).latest("history_date")
    assert removed.history_type == "-" and removed.history_user == trust_admin
    assert removed.history_change_reason == "Role revoked"
    # Their next request no longer carries the role.
    assert admin_client.get(_detail(personas["senior"])).status_code == 200


def test_revoking_is_a_post(admin_client, personas):
    role = personas["senior"].staff_roles.get()
    assert admin_client.get(reverse("setup:role_revoke", args=[role.pk])).status_code == 405
    assert StaffRole.objects.filter(pk=role.pk).exists()


def test_nobody_changes_their_own_roles(admin_client, trust_admin, school):
    response = admin_client.post(_detail(trust_admin), {"role": Role.HEAD, "schools": [school.pk]})
    assert response.status_code == 200 and "another administrator changes your roles" in response.content.decode()
    own = trust_admin.staff_roles.get()
    admin_client.post(reverse("setup:role_revoke", args=[own.pk]))
    assert StaffRole.objects.filter(pk=own.pk).exists()


def test_an_administrator_cannot_change_a_superuser(trust_admin, superuser, school):
    with pytest.raises(PermissionDenied):
        services.staff_role_grant(actor=trust_admin, user=superuser, role=Role.HEAD, school=school)
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(actor=trust_admin, user=superuser)
    superuser.refresh_from_db()
    assert superuser.is_active and not superuser.staff_roles.exists()


def test_a_superuser_may_make_an_administrator(superuser_client, personas):
    response = superuser_client.post(_detail(personas["trust"]), {"role": Role.ADMIN})
    assert response.status_code == 302
    assert personas["trust"].staff_roles.filter(role=Role.ADMIN, school=None).exists()


def test_a_deactivated_account_gets_no_role(trust_admin, personas, school):
    with pytest.raises(ValidationError, match="deactivated"):
        services.staff_role_grant(actor=trust_admin, user=personas["inactive"], role=Role.OFFICE, school=school)


def test_nobody_else_may_grant_or_revoke(personas, school):
    role = personas["office"].staff_roles.get()
    for name in ("senior", "head", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            services.staff_role_grant(actor=personas[name], user=personas["office"], role=Role.HEAD, school=school)
        with pytest.raises(PermissionDenied):
            services.staff_role_revoke(actor=personas[name], staff_role=role)
    assert list(personas["office"].staff_roles.all()) == [role]


def test_a_superusers_page_offers_an_administrator_no_changes(admin_client, superuser_client, superuser, personas):
    page = admin_client.get(_detail(superuser)).content.decode()
    assert "only a superuser may change this account" in page
    assert "Give the role" not in page and reverse("setup:staff_deactivate", args=[superuser.pk]) not in page
    office = personas["office"]
    office_page = superuser_client.get(_detail(office)).content.decode()
    assert "Give the role" in office_page and reverse("setup:staff_deactivate", args=[office.pk]) in office_page
