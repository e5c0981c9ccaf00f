"""Complaint deadlines in the work lists: the head's own list, the senior leaders' count, the trust's panels."""

from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.complaints import services
from sanctions.models import Complaint


@pytest.fixture
def formal(build, make_complaint):
    return make_complaint(build.case(stage=Stage.DECIDED), stage="formal")


def _home(client_as, persona) -> str:
    return client_as(persona).get(reverse("home")).content.decode()


def test_a_formal_complaint_shows_its_deadline_in_the_heads_work_list(formal, client_as):
    page = _home(client_as, "head")
    assert "Complaints: outcomes due" in page
    assert reverse("sanctions:complaint_detail", args=[formal.pk]) in page
    assert f"formal stage: outcome due by {formal.deadline:%-d %b %Y}" in page
    assert "Record the complaint&#x27;s formal outcome" in page or "Record the complaint's formal outcome" in page


def test_an_overdue_deadline_says_so(formal, client_as, today):
    Complaint.objects.filter(pk=formal.pk).update(deadline=today - timedelta(days=3))
    assert "Overdue by 3 days" in _home(client_as, "head")


def test_once_the_outcome_is_recorded_it_leaves_the_list(formal, client_as, personas, today):
    services.complaint_outcome_record(actor=personas["head"], complaint=formal, outcome="upheld", outcome_on=today,
                                      reasons="Fair point.")
    assert reverse("sanctions:complaint_detail", args=[formal.pk]) not in _home(client_as, "head")


def test_another_schools_head_does_not_see_it(formal, client_as):
    assert reverse("sanctions:complaint_detail", args=[formal.pk]) not in _home(client_as, "other_head")


def test_the_senior_leader_sees_a_count(formal, client_as):
    page = _home(client_as, "senior")
    assert "complaint outcome due" in page
    assert reverse("sanctions:complaint_detail", args=[formal.pk]) not in page


def _to_panel(complaint, personas, today):
    services.complaint_outcome_record(actor=personas["head"], complaint=complaint, outcome="not_upheld",
                                      outcome_on=today, reasons="Fair.")
    return services.complaint_escalate(actor=personas["head"], complaint=complaint, requested_on=today)


def test_the_trust_sees_panel_deadlines_of_every_school(formal, build, make_complaint, client_as, personas, today,
                                                       other_school):
    # A formal complaint is the school's: the trust's page gets a list only once a panel is waiting.
    assert "Complaints at the panel stage" not in _home(client_as, "trust")
    panel = _to_panel(formal, personas, today)
    other = make_complaint(build.case(stage=Stage.DECIDED, school=other_school), stage="formal",
                           actor=personas["other_head"])
    services.complaint_outcome_record(actor=personas["other_head"], complaint=other, outcome="not_upheld",
                                      outcome_on=today, reasons="Fair.")
    services.complaint_escalate(actor=personas["other_head"], complaint=other, requested_on=today)
    page = _home(client_as, "trust")
    assert "Complaints at the panel stage" in page
    assert reverse("sanctions:complaint_detail", args=[panel.pk]) in page
    assert reverse("sanctions:complaint_detail", args=[other.pk]) in page
    assert f"Panel&#x27;s outcome due by {panel.deadline:%-d %b %Y}" in page
    assert "Complaints at the panel stage" not in _home(client_as, "head")
