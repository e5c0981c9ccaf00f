"""The statement and conversation forms start "when" at now (issue 25: a record typed in as it is made needs no
time typed); a time given is kept, and a future one is still refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import ParentConversation, Statement
from incidents.workflow import Stage


def _now_field_value():
    return timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(("url_name", "field"), [("incidents:statement_add", "taken_on"),
                                                  ("incidents:conversation_record", "held_on")])
def test_the_form_starts_at_now(build, client_as, url_name, field):
    incident = build.case(stage=Stage.GATHERING)
    before = _now_field_value()
    page = client_as("senior").get(reverse(url_name, args=[incident.pk])).content.decode()
    after = _now_field_value()
    assert f'name="{field}" value="{before}"' in page or f'name="{field}" value="{after}"' in page


def test_a_statement_taken_earlier_keeps_its_time(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    earlier = timezone.localtime() - timedelta(days=1, hours=3)
    client_as("senior").post(reverse("incidents:statement_add", args=[incident.pk]), {
        "kind": "staff", "given_by": "Mr Khan", "taken_on": earlier.strftime("%Y-%m-%dT%H:%M"), "text": "I saw it."})
    assert Statement.objects.get(incident=incident).taken_on == earlier.replace(second=0, microsecond=0)


def test_a_conversation_in_the_future_is_still_refused(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    later = timezone.localtime() + timedelta(days=2)
    response = client_as("senior").post(reverse("incidents:conversation_record", args=[incident.pk]), {
        "took_place": "yes", "held_on": later.strftime("%Y-%m-%dT%H:%M"), "present": "Deputy",
        "parent_said": "Typed words"})
    assert response.status_code == 200
    assert "Typed words" in response.content.decode()
    assert not ParentConversation.objects.filter(incident=incident).exists()
