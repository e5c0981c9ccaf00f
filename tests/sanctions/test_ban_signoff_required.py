"""No ban without the Chair's signed-off consultation, by any route: service, model, page, admin."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, BanStatus, ChairConsultation, SiteBan


def _create(personas, incident, school, today):
    return ban_services.ban_create(
        actor=personas["head"], incident=incident, person=incident.subjects()[0], route=BanRoute.PROVISIONAL,
        sites=[school], starts_on=today, ends_on=today + timedelta(days=60), review_on=today + timedelta(days=30),
        pupil_arrangements="Office entrance.",
    )


def _unsign(ban_case):
    ChairConsultation.objects.filter(incident=ban_case).update(signed_off=False, reasons_not_signed="Not agreed.")


def test_service_refuses_a_decision_without_a_ban(build, personas, school, today):
    incident = build.case(stage=Stage.DECIDED)  # a warning letter, no ban
    with pytest.raises(ValidationError, match="does not include a site ban"):
        _create(personas, incident, school, today)
    assert not SiteBan.objects.exists()


def test_service_refuses_when_the_chair_has_not_signed_off(ban_case, personas, school, today):
    _unsign(ban_case)
    with pytest.raises(ValidationError, match="Chair"):
        _create(personas, ban_case, school, today)
    assert not SiteBan.objects.exists()


def test_service_refuses_before_the_decision(build, personas, school, today):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    with pytest.raises(ValidationError):
        _create(personas, incident, school, today)


def test_the_model_refuses_an_unsigned_consultation(ban_case, personas, school, today):
    decision = ban_case.decisions.last()
    ban = SiteBan(
        incident=ban_case, person=ban_case.subjects()[0], decision=decision, consultation=decision.consultation,
        route=BanRoute.PROVISIONAL, status=BanStatus.PROVISIONAL, starts_on=today, ends_on=today,
        original_ends_on=today, review_on=today, representations_by=today, pupil_arrangements="x",
        created_by=personas["head"],
    )
    ban.full_clean()  # signed off: valid
    _unsign(ban_case)
    ban.consultation.refresh_from_db()
    with pytest.raises(ValidationError, match="Chair"):
        ban.full_clean()


def test_the_database_refuses_a_ban_with_no_consultation(ban_case, personas, today):
    decision = ban_case.decisions.last()
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteBan.objects.create(
            incident=ban_case, person=ban_case.subjects()[0], decision=decision, consultation_id=None,
            route=BanRoute.PROVISIONAL, status=BanStatus.PROVISIONAL, starts_on=today, ends_on=today,
            original_ends_on=today, review_on=today, representations_by=today, pupil_arrangements="x",
            created_by=personas["head"],
        )


def test_the_page_refuses_a_post_without_sign_off(ban_case, client_as, school, today):
    _unsign(ban_case)
    response = client_as("head").post(reverse("sanctions:ban_new", args=[ban_case.pk]), {
        "person": ban_case.subjects()[0].pk, "route": BanRoute.PROVISIONAL, "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=60)).isoformat(),
        "review_on": (today + timedelta(days=30)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(), "pupil_arrangements": "Office entrance.",
    })
    assert response.status_code == 200
    assert "Chair" in response.content.decode()
    assert not SiteBan.objects.exists()


def test_the_admin_cannot_add_a_ban(db, rf):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    client = Client()
    client.force_login(user)
    # 403 from the read-only admin (or a redirect, should the admin demand a second factor first).
    assert client.get(reverse("admin:sanctions_siteban_add")).status_code in (403, 302)
    assert client.post(reverse("admin:sanctions_siteban_add"), {}).status_code in (403, 302)
    assert not SiteBan.objects.exists()
    request = rf.get("/")
    request.user = user
    assert not admin.site._registry[SiteBan].has_add_permission(request)
    assert not admin.site._registry[SiteBan].has_change_permission(request)
