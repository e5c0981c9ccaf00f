"""The statement form's "Save, then record the conversation" and the conversation form's "Save, then propose a
response" (issue 25): the record is saved as with "Save", then the next record's form opens, a page sooner."""

from django.urls import reverse
from django.utils import timezone

from incidents.models import ParentConversation, Statement
from incidents.workflow import Stage


def _statement(**over):
    return {"kind": "staff", "given_by": "Mr Khan", "taken_on": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "text": "I saw it.", **over}


def _conversation(**over):
    return {"took_place": "yes", "held_on": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "present": "Deputy",
            "parent_said": "He was sorry.", "agreed": "", **over}


def test_a_statement_then_the_conversation_form(build, client_as):
    incident = build.case(stage=Stage.REPORTED)
    response = client_as("senior").post(reverse("incidents:statement_add", args=[incident.pk]),
                                        _statement(then="conversation"))
    assert response["Location"] == reverse("incidents:conversation_record", args=[incident.pk])
    assert Statement.objects.filter(incident=incident).count() == 1


def test_the_button_is_offered_only_while_no_conversation_is_recorded(build, client_as):
    url = reverse("incidents:statement_add", args=[build.case(stage=Stage.GATHERING).pk])
    assert "Save, then record the conversation" in client_as("senior").get(url).content.decode()
    recorded = build.case(stage=Stage.AWAITING_CHAIR)  # its conversation is recorded
    page = client_as("senior").get(reverse("incidents:statement_add", args=[recorded.pk])).content.decode()
    assert "Save, then record the conversation" not in page


def test_a_conversation_then_the_proposal_form(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    client_as("senior").post(reverse("incidents:statement_add", args=[incident.pk]), _statement())
    response = client_as("senior").post(reverse("incidents:conversation_record", args=[incident.pk]),
                                        _conversation(then="propose"))
    assert response["Location"] == reverse("sanctions:proposal_new", args=[incident.pk])
    incident.refresh_from_db()
    assert incident.stage == Stage.CONVERSATION


def test_with_no_proposal_to_make_yet_the_case_page_instead(build, client_as):
    # No statement yet: the conversation is recorded but the case stays gathering, so nothing can be proposed.
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("senior").post(reverse("incidents:conversation_record", args=[incident.pk]),
                                        _conversation(then="propose"))
    assert response["Location"] == incident.get_absolute_url()
    assert ParentConversation.objects.filter(incident=incident).count() == 1


def test_an_error_keeps_what_was_typed_and_goes_nowhere(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("senior").post(reverse("incidents:statement_add", args=[incident.pk]),
                                        _statement(given_by="", text="Typed words", then="conversation"))
    assert response.status_code == 200
    assert "Typed words" in response.content.decode()
    assert not Statement.objects.filter(incident=incident).exists()


def test_an_unknown_then_is_plain_save(build, client_as):
    incident = build.case(stage=Stage.GATHERING)
    response = client_as("senior").post(reverse("incidents:statement_add", args=[incident.pk]),
                                        _statement(then="x" * 5000))
    assert response["Location"] == incident.get_absolute_url()
