"""Drive cases to any stage through the services, as real users would."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from incidents import services as incident_services
from incidents.models import BreachCategory, Location, PersonAlias, Relationship, StatementKind
from incidents.workflow import Stage
from sanctions.letters import services as letter_services
from sanctions.models import ActionKind, ConsultationMethod, DecisionOutcome
from sanctions.responses import services as sanction_services

PARENT_ACCOUNT = "On Monday at the school gate, you shouted at a member of staff and would not leave when asked."


class Builder:
    def __init__(self, personas, school, other_school):
        self.p = personas
        self.school = school
        self.other_school = other_school

    def person(self, *, school=None, name="Pat Parent", actor=None):
        school = school or self.school
        actor = actor or (self.p["office"] if school == self.school else self.p["other_office"])
        return incident_services.person_create(
            actor=actor,
            school=school,
            full_name=name,
            relationship=Relationship.PARENT,
            address="1 Home Street\nTown",
            email="pat@example.com",
            pupils=[{"name": "Sam Parent", "year_group": "Year 3"}],
        )

    def alias(self, person, name, *, school=None, note="nickname"):
        """Another name `school` (default the school) recorded for `person`."""
        school = school or self.school
        actor = self.p["office"] if school == self.school else self.p["other_office"]
        return PersonAlias.objects.create(person=person, school=school, name=name, note=note, added_by=actor)

    def incident(self, *, school=None, person=None, categories=("offensive-language",), days_ago=1, actor=None):
        school = school or self.school
        actor = actor or (self.p["office"] if school == self.school else self.p["other_office"])
        person = person or self.person(school=school, actor=actor)
        return incident_services.incident_create(
            actor=actor,
            school=school,
            occurred_at=timezone.now() - timedelta(days=days_ago),
            location=Location.PREMISES,
            location_detail="Main gate",
            description="Shouted at staff.",
            categories=BreachCategory.objects.filter(code__in=categories),
            subjects=[person],
            reported_by="Class teacher",
        )

    def case(self, *, stage=Stage.REPORTED, ban=False, school=None, account=True, **kwargs):
        """A case at `stage`. With ban=True the proposal includes a site ban. A decided case's account for
        letters is written for the parent unless account=False (then it is still the office's description)."""
        incident = self.incident(school=school, **kwargs)
        school = incident.school
        senior = self.p["senior"] if school == self.school else self.p["other_head"]
        head = self.p["head"] if school == self.school else self.p["other_head"]
        order = [
            Stage.REPORTED,
            Stage.GATHERING,
            Stage.CONVERSATION,
            Stage.AWAITING_CHAIR,
            Stage.PROPOSED,
            Stage.DECIDED,
            Stage.CLOSED,
        ]
        if stage == Stage.AWAITING_CHAIR:
            ban = True
        target = order.index(stage)
        if target >= 1:
            incident_services.incident_transition(actor=senior, incident=incident, to_stage=Stage.GATHERING)
        if target >= 2:
            incident_services.statement_add(
                actor=senior,
                incident=incident,
                kind=StatementKind.STAFF,
                given_by="A teacher",
                taken_on=timezone.now() - timedelta(hours=2),
                text="I saw it.",
            )
            incident_services.incident_transition(actor=senior, incident=incident, to_stage=Stage.CONVERSATION)
        if target >= 3:
            incident_services.conversation_record(
                actor=senior,
                incident=incident,
                took_place=True,
                held_on=timezone.now() - timedelta(hours=1),
                present="Deputy",
                parent_said="Sorry.",
                agreed="",
            )
            actions = [ActionKind.SITE_BAN] if ban else [ActionKind.WARNING_LETTER]
            sanction_services.proposal_submit(
                actor=senior,
                incident=incident,
                actions=actions,
                rationale="Proportionate.",
                ban_justification="Serious risk." if ban else "",
            )
        if target >= 4 and ban:
            self.chair_signs(incident, school=school)
        if target >= 5:
            sanction_services.decision_record(
                actor=head, incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Agreed."
            )
            if account:
                self.account_for_parent(incident, actor=senior)
        if target >= 6:
            for action in incident.decisions.last().followups.all():
                sanction_services.action_complete(
                    actor=head, action=action, done_on=timezone.localdate(), details="Done."
                )
            sanction_services.case_close(actor=head, incident=incident, outcome="Resolved.")
        incident.refresh_from_db()
        return incident

    @staticmethod
    def account_for_parent(incident, *, actor, text=PARENT_ACCOUNT):
        """A senior leader writes what happened for the parent, as letters need before they are issued."""
        account = letter_services.case_account(incident, actor=actor)
        return letter_services.case_account_update(actor=actor, incident=incident, text=text,
                                                   expected_version=account.version)

    def chair_signs(self, incident, *, signed_off=True, school=None):
        return sanction_services.consultation_record(
            actor=self.p["chair"],
            incident=incident,
            consulted_on=timezone.localdate(),
            method=ConsultationMethod.PHONE,
            chair_view="I agree.",
            signed_off=signed_off,
            reasons_not_signed="" if signed_off else "Not proportionate.",
        )


def while_in_force(ban, ago):
    """A moment `ago` before now, but never before the ban began: a ban starting today began at midnight, and a
    breach an hour ago would be before it just after midnight."""
    began = timezone.make_aware(datetime.combine(ban.starts_on, time.min))
    return max(timezone.now() - ago, began)
