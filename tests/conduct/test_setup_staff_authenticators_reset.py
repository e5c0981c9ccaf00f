"""A member of staff who lost their phone: the trust administrator removes their authenticators, so
their next login sets up a new one. Without this, a lost phone would have to be routed around
the second factor."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct import services


def _url(user):
    return reverse("setup:staff_authenticators_reset", args=[user.pk])


def _device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_only_the_administrator_and_a_superuser_may_reset(statuses, personas, admin_client, superuser_client):
    head = personas["head"]
    _device(head)
    found = statuses(_url(head), method="post")
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert TOTPDevice.objects.filter(user=head).count() == 1
    assert admin_client.get(_url(head)).status_code == 405, "a change is a POST"
    assert admin_client.post(_url(head)).status_code == 302
    assert not TOTPDevice.objects.filter(user=head).exists()
    _device(head)
    assert superuser_client.post(_url(head)).status_code == 302
    assert not TOTPDevice.objects.filter(user=head).exists()


def test_a_reset_ends_verified_sessions_and_is_recorded(
        settings, admin_client, trust_admin, client_as, personas, caplog):
    settings.CONDUCT_REQUIRE_2FA = True
    caplog.set_level(logging.INFO, logger="conduct.audit")
    head = personas["head"]
    device = _device(head)
    _device(head, confirmed=False)
    admin_device = _device(trust_admin)
    assert admin_client.post("/accounts/2fa/verify/", {"token": _code(admin_device)}).status_code == 302
    session = client_as("head")
    assert session.post("/accounts/2fa/verify/", {"token": _code(device), "next": "/"}).status_code == 302
    assert session.get("/incidents/").status_code == 200
    detail = admin_client.get(reverse("setup:staff_detail", args=[head.pk])).content.decode()
    assert _url(head) in detail and "1 authenticator app" in detail

    response = admin_client.post(_url(head))
    assert response.status_code == 302 and response["Location"] == reverse("setup:staff_detail", args=[head.pk])
    assert not TOTPDevice.objects.filter(user=head).exists()
    held = session.get("/incidents/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/2fa/setup/")
    assert f"staff_authenticators_reset user={trust_admin.pk} target=auth.User:{head.pk} devices=1" in [
        r.getMessage() for r in caplog.records]
    row = get_user_model().history.model.objects.filter(id=head.pk).latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("Authenticators reset: set up again at next login",
                                                             trust_admin)
    assert _url(head) not in admin_client.get(reverse("setup:staff_detail", args=[head.pk])).content.decode()


def test_the_service_refuses_what_the_page_does_not_offer(trust_admin, superuser, personas):
    _device(trust_admin)
    with pytest.raises(PermissionDenied):
        services.staff_authenticators_reset(actor=trust_admin, user=trust_admin)
    _device(superuser)
    with pytest.raises(PermissionDenied):
        services.staff_authenticators_reset(actor=trust_admin, user=superuser)
    with pytest.raises(ValidationError):
        services.staff_authenticators_reset(actor=trust_admin, user=personas["office"])
    _device(personas["office"])
    for name in ("office", "senior", "head", "chair", "trust", "other_head"):
        with pytest.raises(PermissionDenied):
            services.staff_authenticators_reset(actor=personas[name], user=personas["office"])
    assert TOTPDevice.objects.filter(user=personas["office"]).exists()


def test_a_refused_reset_is_shown_not_raised(admin_client, trust_admin, personas):
    response = admin_client.post(_url(personas["office"]), follow=True)
    assert response.status_code == 200 and "no authenticator app" in response.content.decode()
    _device(trust_admin)
    admin_client.post(_url(trust_admin))
    assert TOTPDevice.objects.filter(user=trust_admin).exists()
    assert admin_client.post(reverse("setup:staff_authenticators_reset", args=[10**9])).status_code == 404
