"""/incidents/<id>/history/: who changed which of a case's details, and when."""

from django.urls import reverse

from incidents.workflow import Stage
from privacy.models import AccessLogEntry

EXPECTED = {
    "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("incidents:incident_history", args=[incident.pk])


def test_who_may_see_a_case_history(build, statuses):
    incident = build.case(stage=Stage.GATHERING)
    assert statuses(_url(incident), personas=EXPECTED) == EXPECTED


def test_it_is_read_only(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    assert client_as("head").post(_url(incident)).status_code == 405


def test_it_shows_each_change_with_who_made_it_in_words(client_as, build):
    incident = build.case(stage=Stage.GATHERING)
    history = client_as("trust").get(_url(incident)).content.decode().split('id="h-history"')[1]
    assert "Incident logged" in history
    assert "Office" in history  # the office persona's full name is its first name, "Office"
    assert "Start gathering information" in history
    assert "“Reported” → “Gathering information”" in history
    assert "Loud or offensive language or temper" in history  # category names, not raw ids
    assert "breachcategory" not in history
    # Newest first.
    assert history.index("Start gathering information") < history.index("Incident logged")


def test_reading_it_is_logged_as_a_view_of_the_case(client_as, build, personas):
    incident = build.case(stage=Stage.GATHERING)
    client_as("head").get(_url(incident))
    assert AccessLogEntry.objects.filter(user=personas["head"], incident_id=incident.pk).exists()
