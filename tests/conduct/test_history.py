"""Every model that holds case data keeps its history (who, when, what)."""

import pytest
from django.apps import apps
from django.utils import timezone

from incidents.models import StatementKind
from incidents.services import conversation_record, statement_add
from incidents.workflow import Stage

CASE_MODELS = [
    "conduct.School", "conduct.StaffRole", "incidents.Person", "incidents.PersonSchoolNote", "incidents.Pupil",
    "incidents.BreachCategory",
    "incidents.Incident", "incidents.IncidentPerson", "incidents.Evidence", "incidents.Statement",
    "incidents.ParentConversation", "sanctions.Proposal", "sanctions.ChairConsultation", "sanctions.Decision",
    "sanctions.DecisionAction", "sanctions.SiteBan", "sanctions.Letter",
]


@pytest.mark.parametrize("label", CASE_MODELS)
def test_the_model_has_history(label):
    model = apps.get_model(label)
    assert hasattr(model, "history"), label


def test_a_case_run_writes_history_rows_naming_the_actor(build, personas):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    expected = {
        incident: personas["office"],
        incident.person_links.first(): personas["office"],
        incident.statements.first(): personas["senior"],
        incident.conversations.first(): personas["senior"],
        incident.proposals.first(): personas["senior"],
        incident.consultations.first(): personas["chair"],
        incident.decisions.first(): personas["head"],
    }
    for obj, actor in expected.items():
        first = obj.history.earliest()
        assert first.history_type == "+", obj
        assert first.history_user == actor, obj
    reasons = list(incident.history.order_by("history_date", "history_id")
                   .values_list("history_change_reason", flat=True))
    assert reasons[0] == "Incident logged"
    assert "Decide the response" in reasons
    assert [h.stage for h in incident.history.order_by("history_date", "history_id")][-1] == Stage.DECIDED


def test_statement_and_conversation_history(build, personas):
    incident = build.case(stage=Stage.GATHERING)
    statement = statement_add(actor=personas["head"], incident=incident, kind=StatementKind.WITNESS,
                              given_by="W", taken_on=timezone.now(), text="Saw it")
    conversation = conversation_record(actor=personas["head"], incident=incident, took_place=False,
                                       not_possible_reason="declined")
    assert statement.history.get().history_change_reason == "Statement recorded"
    assert conversation.history.get().history_user == personas["head"]
