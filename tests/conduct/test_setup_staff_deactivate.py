"""A leaver is deactivated: signed out at once, their records kept and still naming them."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conduct import services
from incidents.models import Incident


def _url(user):
    return reverse("setup:staff_deactivate", args=[user.pk])


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, personas, admin_client, superuser_client):
    found = statuses(_url(personas["office"]))
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(_url(personas["office"])).status_code == 200
    assert superuser_client.get(_url(personas["office"])).status_code == 200


def test_a_leaver_is_signed_out_at_once_and_their_records_still_name_them(
        admin_client, trust_admin, client_as, build, personas, caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    office = personas["office"]
    incident = build.incident()
    leaver = client_as("office")
    assert leaver.get(reverse("incidents:incident_list")).status_code == 200

    assert admin_client.get(_url(office)).status_code == 200, "a confirmation page first"
    response = admin_client.post(_url(office))
    assert response.status_code == 302 and response["Location"] == reverse("setup:staff_detail", args=[office.pk])

    office.refresh_from_db()
    assert not office.is_active
    # The session they had open no longer authenticates.
    after = leaver.get(reverse("incidents:incident_list"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    # Records kept, and they still name the leaver.
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.logged_by == office and incident.events.earliest("pk").actor == office
    assert incident.history.earliest("history_date").history_user == office
    assert office.staff_roles.exists(), "their roles stay as the record of what they did"
    assert f"staff_deactivated user={trust_admin.pk} target=auth.User:{office.pk} " in [
        r.getMessage() for r in caplog.records]
    page = admin_client.get(reverse("setup:staff_detail", args=[office.pk])).content.decode()
    assert "Deactivated" in page


def test_nobody_deactivates_themselves(admin_client, trust_admin):
    admin_client.post(_url(trust_admin))
    trust_admin.refresh_from_db()
    assert trust_admin.is_active


def test_nobody_else_may_deactivate(personas):
    for name in ("senior", "head", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            services.staff_deactivate(actor=personas[name], user=personas["office"])
    personas["office"].refresh_from_db()
    assert personas["office"].is_active
