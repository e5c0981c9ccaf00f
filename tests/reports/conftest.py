"""A small data set for the reports, built by hand, whose right answers are written out below.

Dates are set relative to today (the reports' "now" is today), a month or more
back, so every case lies wholly inside one calendar month. Durations are set
exactly by updating the stored times after the services have written them.

School One (the personas' school), in the twelve months to today (months[-1] is this month):

  case  month       categories                      stage     subject  decided                 days to decision
  A     months[-2]  offensive-language              reported  Pat One  -                       -
  B     months[-2]  offensive-language, threatening decided   Pat One  warning letter          2
  C     months[-3]  threatening                     closed    Pat One  warning letter          4
  G     months[-3]  disruptive-behaviour            decided   Gil Two  no further action       6
  D     months[0]   aggression                      decided   Dan Ban  site ban (Chair: 3 d)   9
  F     14 months ago, offensive-language, reported (outside the period; still open today)

  A has sat at "reported" for 5 days (overdue: the limit is 2); F for 1 day.
  D's ban: provisional, confirmed 10 days after it was recorded, in force today,
  review in 10 days, ends in 20 days.

School Two: E, months[-2], offensive-language, reported, subject Eve Else.

The period is months[0] (its first day) to today.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import Stage
from reports.figures import month_starts
from sanctions.bans import services as ban_services
from sanctions.models import ActionKind, BanRoute, ChairConsultation, Decision, DecisionOutcome, Proposal, SiteBan
from sanctions.responses import services as sanction_services


@dataclass
class DataSet:
    today: object
    months: list
    cases: dict
    people: dict
    ban: object

    @property
    def period(self) -> dict:
        return {"from": self.months[0].isoformat(), "to": self.today.isoformat()}


def _at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _set_times(incident, *, occurred_on, decision_days=None):
    occurred = _at(occurred_on)
    Incident.objects.filter(pk=incident.pk).update(occurred_at=occurred, logged_at=occurred + timedelta(hours=1))
    if decision_days is not None:
        Decision.objects.filter(incident=incident).update(
            decided_at=occurred + timedelta(hours=1) + timedelta(days=decision_days))


@pytest.fixture
def dataset(build, personas, school, other_school):
    today = timezone.localdate()
    months = month_starts(today)
    p = {
        "pat": build.person(name="Pat One"),
        "gil": build.person(name="Gil Two"),
        "dan": build.person(name="Dan Ban"),
        "eve": build.person(name="Eve Else", school=other_school),
    }
    c = {}
    c["A"] = build.case(stage=Stage.REPORTED, person=p["pat"], categories=("offensive-language",))
    c["B"] = build.case(stage=Stage.DECIDED, person=p["pat"], categories=("offensive-language", "threatening"))
    c["C"] = build.case(stage=Stage.CLOSED, person=p["pat"], categories=("threatening",))
    c["G"] = build.case(stage=Stage.PROPOSED, person=p["gil"], categories=("disruptive-behaviour",))
    sanction_services.decision_record(actor=personas["head"], incident=c["G"], outcome=DecisionOutcome.CHANGED,
                                      reasons="Nothing more is needed.", actions=[ActionKind.NO_FURTHER_ACTION])
    c["D"] = build.case(stage=Stage.DECIDED, ban=True, person=p["dan"], categories=("aggression",))
    c["F"] = build.case(stage=Stage.REPORTED, person=p["pat"], categories=("offensive-language",))
    c["E"] = build.case(stage=Stage.REPORTED, person=p["eve"], school=other_school,
                        categories=("offensive-language",))

    _set_times(c["A"], occurred_on=months[-2] + timedelta(days=9))
    _set_times(c["B"], occurred_on=months[-2] + timedelta(days=11), decision_days=2)
    _set_times(c["C"], occurred_on=months[-3] + timedelta(days=4), decision_days=4)
    _set_times(c["G"], occurred_on=months[-3] + timedelta(days=6), decision_days=6)
    _set_times(c["D"], occurred_on=months[0] + timedelta(days=14), decision_days=9)
    _set_times(c["F"], occurred_on=months[0] - timedelta(days=60))
    _set_times(c["E"], occurred_on=months[-2] + timedelta(days=9))
    now = timezone.now()
    Incident.objects.filter(pk=c["A"].pk).update(stage_changed_at=now - timedelta(days=5))
    Incident.objects.filter(pk=c["F"].pk).update(stage_changed_at=now - timedelta(days=1))

    proposal = Proposal.objects.get(incident=c["D"])
    ChairConsultation.objects.filter(incident=c["D"]).update(recorded_at=proposal.proposed_at + timedelta(days=3))
    ban = ban_services.ban_create(
        actor=personas["head"], incident=c["D"], person=p["dan"], route=BanRoute.PROVISIONAL, sites=[school],
        starts_on=today, ends_on=today + timedelta(days=20), review_on=today + timedelta(days=10),
        pupil_arrangements="Collected at the office.", reasons="Staff felt threatened.",
    )
    ban_services.representation_record(actor=personas["senior"], ban=ban, received_on=today, summary="Sorry.")
    ban = ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Confirmed after the representations.")
    created = now - timedelta(days=12)
    SiteBan.objects.filter(pk=ban.pk).update(created_at=created)
    SiteBan.history.filter(id=ban.pk, status="confirmed").update(history_date=created + timedelta(days=10))
    for incident in c.values():
        incident.refresh_from_db()
    return DataSet(today=today, months=months, cases=c, people=p, ban=ban)
