"""/staff-harmed/<id>/support/new/ and the staff_support_record service (issue 26): senior leaders and the head
record the support offered to a member of staff harmed, what and when."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import Injury, StaffSupport
from incidents.services import staff_harm_record, staff_support_record

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


@pytest.fixture
def harm(build, personas):
    return staff_harm_record(actor=personas["office"], incident=build.case(days_ago=3), name="Jo Teacher",
                             what_happened="Sworn at.", injury=Injury.NONE)


def _url(harm):
    return reverse("incidents:staff_support_add", args=[harm.pk])


def test_who_may_open_the_form(harm, statuses):
    assert statuses(_url(harm)) == EXPECTED


def test_who_may_post(harm, statuses, client_as):
    data = {"what": "Counselling offered", "offered_on": timezone.localdate().isoformat()}
    assert statuses(_url(harm), "post", data) == {**EXPECTED, "senior": 302, "head": 302}
    assert StaffSupport.objects.filter(harm=harm).count() == 2
    page = client_as("chair").get(harm.incident.get_absolute_url()).content.decode()
    assert "Counselling offered" in page


@pytest.mark.parametrize("offered_on", [timedelta(days=1), timedelta(days=-4000)])
def test_support_is_offered_between_the_incident_and_today(harm, client_as, offered_on):
    data = {"what": "Counselling", "offered_on": (timezone.localdate() + offered_on).isoformat()}
    assert client_as("head").post(_url(harm), data).status_code == 200
    assert not StaffSupport.objects.exists()


def test_the_service_refuses_the_office_and_another_school(harm, personas):
    for name in ("office", "other_head", "chair"):
        with pytest.raises(PermissionDenied):
            staff_support_record(actor=personas[name], harm=harm, what="x", offered_on=timezone.localdate())
    with pytest.raises(ValidationError):
        staff_support_record(actor=personas["head"], harm=harm, what="x",
                             offered_on=timezone.localdate() - timedelta(days=30))
