"""/people/collectors/<id>/edit/ and /remove/ (issue 26): only the school that named a collector changes or
removes them; the history keeps every version."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents.models import Collector
from incidents.services import collector_add, collector_update


@pytest.fixture
def collector(build, personas, school):
    return collector_add(actor=personas["office"], person=build.person(), school=school, name="Jean Parent",
                         relationship="grandmother")


def test_who_may_edit(collector, statuses):
    assert statuses(reverse("incidents:collector_edit", args=[collector.pk])) == {
        "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
        "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
    }


def test_recording_that_they_were_told(collector, client_as):
    url = reverse("incidents:collector_edit", args=[collector.pk])
    response = client_as("senior").post(url, {"name": "Jean Parent", "relationship": "grandmother",
                                              "told_on": "2025-10-01"})
    assert response.status_code == 302
    collector.refresh_from_db()
    assert collector.told_on == date(2025, 10, 1)
    assert [h.history_change_reason for h in collector.history.order_by("history_date")] == [
        "Collector named", "Collector edited"]


def test_another_school_that_knows_the_person_still_cannot_touch_it(collector, build, personas, other_school,
                                                                    client_as):
    build.incident(school=other_school, person=collector.person)
    assert client_as("other_head").get(reverse("incidents:collector_edit", args=[collector.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        collector_update(actor=personas["other_head"], collector=collector, name="X", relationship="Y")


def test_removing(collector, statuses, client_as):
    url = reverse("incidents:collector_remove", args=[collector.pk])
    assert statuses(url, method="post", personas=["chair", "trust", "other_office"]) == {
        "chair": 403, "trust": 403, "other_office": 404}
    assert statuses(url, personas=["office"]) == {"office": 405}
    assert client_as("office").post(url).status_code == 302
    assert not Collector.objects.exists()
    assert Collector.history.filter(history_type="-").get().history_change_reason == "Collector removed"
