"""The data protection officer persona, and builders for people with records at both schools."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conduct.models import StaffRole
from conduct.roles import Role


@pytest.fixture
def dpo(db):
    user = get_user_model().objects.create_user(username="dpo", first_name="Dana", last_name="Protection",
                                                email="dpo@example.org")
    StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    return user


@pytest.fixture
def dpo_client(dpo):
    client = Client()
    client.force_login(dpo)
    return client


@pytest.fixture
def client_for(client_as, dpo_client):
    """client_as with the dpo persona too."""
    def make(name):
        return dpo_client if name == "dpo" else client_as(name)
    return make


@pytest.fixture
def statuses_of(client_for):
    """{persona: status} for one request as each persona; "login" for the redirect to the login page."""
    def run(url, personas, method="get", data=None):
        seen = {}
        for name in personas:
            response = getattr(client_for(name), method)(url, data or {})
            if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
                seen[name] = "login"
            else:
                seen[name] = response.status_code
        return seen
    return run


EVERYONE = ["office", "senior", "head", "chair", "trust", "dpo", "other_office", "other_head", "inactive",
            "anonymous"]


# A demo parent with cases at both schools -----------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Family:
    """Pat Parent (child Sam Parent) with a case at each school. The first school's case also
    names another parent, Olive Other (child Tom Other), and a witness, Wendy Witness; its
    account names the pupil Tom and the teacher Mrs Teach; it has a witness's, a pupil's and
    a member of staff's statement, a conversation, a decision, an issued warning letter and a
    photo of the gate. The second school's case ends in a decision too."""

    def __init__(self, build, personas):
        from datetime import timedelta

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from incidents import services as incident_services
        from incidents.models import BreachCategory, Location, Relationship, StatementKind
        from incidents.workflow import Stage
        from sanctions.letters import services as letter_services
        from sanctions.models import ActionKind, DecisionOutcome, LetterKind
        from sanctions.responses import services as sanction_services

        p = personas
        self.school, self.other_school = build.school, build.other_school
        office, senior, head = p["office"], p["senior"], p["head"]
        self.pat = incident_services.person_create(
            actor=office, school=self.school, full_name="Pat Parent", relationship=Relationship.PARENT,
            address="1 Home Street\nTown", email="pat@example.com", phone="07700 900001",
            pupils=[{"name": "Sam Parent", "year_group": "Year 3"}])
        self.olive = incident_services.person_create(
            actor=office, school=self.school, full_name="Olive Other", relationship=Relationship.PARENT,
            address="9 Far Road", pupils=[{"name": "Tom Other", "year_group": "Year 4"}])
        self.wendy = incident_services.person_create(
            actor=office, school=self.school, full_name="Wendy Witness", relationship=Relationship.VISITOR)
        now = timezone.now()
        self.case = incident_services.incident_create(
            actor=office, school=self.school, occurred_at=now - timedelta(days=10), location=Location.PREMISES,
            location_detail="Main gate",
            description="Pat Parent shouted at Olive Other and at Tom in the playground while Mrs Teach watched.",
            categories=BreachCategory.objects.filter(code="offensive-language"), subjects=[self.pat, self.olive],
            witnesses=[self.wendy], pupils_affected="Tom Other (Year 4), Sam Parent", staff_affected="Mrs Teach",
            reported_by="Wendy Witness",
            evidence_files=[(SimpleUploadedFile("gate.png", PNG, content_type="image/png"), "The gate")])
        incident_services.incident_transition(actor=senior, incident=self.case, to_stage=Stage.GATHERING)
        for kind, given_by, text, present in [
            (StatementKind.WITNESS, "Wendy Witness", "I saw Pat Parent shout at Olive Other.", ""),
            (StatementKind.PUPIL, "Tom Other", "Pat shouted at me and I was scared.", "Mrs Teach"),
            (StatementKind.STAFF, "Mrs Teach", "Pat Parent was very loud at the gate.", ""),
        ]:
            incident_services.statement_add(actor=senior, incident=self.case, kind=kind, given_by=given_by,
                                            taken_on=now - timedelta(days=9), text=text, others_present=present)
        incident_services.incident_transition(actor=senior, incident=self.case, to_stage=Stage.CONVERSATION)
        incident_services.conversation_record(
            actor=senior, incident=self.case, took_place=True, held_on=now - timedelta(days=8),
            present="Deputy head", parent_said="Pat said sorry to Olive Other.", agreed="Pat will stay calm.")
        sanction_services.proposal_submit(actor=senior, incident=self.case, actions=[ActionKind.WARNING_LETTER],
                                          rationale="A first breach: a warning is proportionate.")
        sanction_services.decision_record(actor=head, incident=self.case, outcome=DecisionOutcome.APPROVED,
                                          reasons="Agreed: a warning to Pat Parent.")
        build.account_for_parent(self.case, actor=senior, text=self.case.description)
        letter = letter_services.letter_draft(actor=senior, incident=self.case, kind=LetterKind.WARNING,
                                              person=self.pat)
        self.letter = letter_services.letter_issue(actor=head, letter=letter, sent_by="post")
        self.evidence = self.case.evidence.get()
        self.other_case = build.case(stage=Stage.DECIDED, school=self.other_school, person=self.pat)
        self.case.refresh_from_db()


@pytest.fixture
def family(build, personas):
    return Family(build, personas)


@pytest.fixture
def make_request(family, personas):
    """A request from Pat Parent, received today at `school` (or the trust, with the DPO)."""
    from django.utils import timezone

    from privacy import services

    def make(actor=None, *, school=None, person="pat", identity=True, **kwargs):
        actor = actor or personas["head"]
        school = family.school if school is None else (school or None)
        return services.request_create(
            actor=actor, school=school, person=getattr(family, person) if person else None,
            requester_name=kwargs.pop("requester_name", "Pat Parent"), reply_to="1 Home Street\nTown",
            received_on=kwargs.pop("received_on", timezone.localdate()), channel="email",
            identity_method="known" if identity else "", **kwargs)
    return make
