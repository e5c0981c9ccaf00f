"""The trust administrator sets the calendar days the complaints procedure gives each stage."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conduct import services
from incidents.workflow import Stage
from sanctions.complaints import services as complaint_services


def _url(trust):
    return reverse("setup:trust_complaint_days", args=[trust.pk])


def _days(informal="10", formal="15", panel="30"):
    return {"complaint_informal_days": informal, "complaint_formal_days": formal, "complaint_panel_days": panel}


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, trust, admin_client, superuser_client):
    found = statuses(_url(trust))
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(_url(trust)).status_code == 200
    assert superuser_client.get(_url(trust)).status_code == 200


def test_the_page_says_calendar_days_and_the_defaults(admin_client, trust):
    page = admin_client.get(_url(trust)).content.decode()
    assert "calendar days" in page
    assert (trust.complaint_informal_days, trust.complaint_formal_days, trust.complaint_panel_days) == (14, 28, 28)


def test_the_days_change_with_history(admin_client, trust_admin, trust):
    assert admin_client.post(_url(trust), _days()).status_code == 302
    trust.refresh_from_db()
    assert (trust.complaint_informal_days, trust.complaint_formal_days, trust.complaint_panel_days) == (10, 15, 30)
    latest = trust.history.first()
    assert latest.history_user == trust_admin and latest.history_change_reason == "Days per complaint stage changed"


@pytest.mark.parametrize("value", ["0", "91", "-1", "99999999999999999999", "ten", ""])
def test_out_of_range_days_are_a_form_error(admin_client, trust, value):
    response = admin_client.post(_url(trust), _days(formal=value))
    assert response.status_code == 200
    trust.refresh_from_db()
    assert trust.complaint_formal_days == 28


def test_the_service_refuses_anyone_else_and_bad_values(personas, trust, trust_admin):
    with pytest.raises(PermissionDenied):
        services.trust_complaint_days_update(actor=personas["head"], trust=trust, complaint_formal_days=10)
    with pytest.raises(ValidationError):
        services.trust_complaint_days_update(actor=trust_admin, trust=trust, complaint_panel_days=365)


def test_new_days_apply_to_the_next_stage_not_the_running_one(build, personas, trust, trust_admin):
    today = timezone.localdate()
    case = build.case(stage=Stage.DECIDED)
    complaint = complaint_services.complaint_record(
        actor=personas["senior"], incident=case, complainant=case.subjects()[0], received_on=today,
        summary="Unfair.", decision=case.decisions.last())
    services.trust_complaint_days_update(actor=trust_admin, trust=trust, complaint_informal_days=3,
                                         complaint_formal_days=5)
    complaint.refresh_from_db()
    assert complaint.deadline == today + timedelta(days=14)
    complaint_services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                                outcome_on=today, reasons="Fair.")
    complaint = complaint_services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)
    assert complaint.deadline == today + timedelta(days=5)
