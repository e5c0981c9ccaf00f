"""Emails when a case reaches someone: after commit, reference and link only, own school only, never the actor."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from conduct.models import StaffRole
from incidents.workflow import Stage
from sanctions.responses.services import proposal_submit


def _propose(build, personas, *, ban=False, **kwargs):
    incident = build.case(stage=Stage.CONVERSATION, **kwargs)
    from django.utils import timezone

    from incidents.services import conversation_record

    conversation_record(actor=personas["senior"], incident=incident, took_place=True, held_on=timezone.now(),
                        parent_said="Sorry.")
    return incident, lambda: proposal_submit(
        actor=personas["senior"], incident=incident, actions=["ban"] if ban else ["warning"],
        rationale="Shouted at SECRET-TEACHER-NAME.", ban_justification="Risk." if ban else "")


def test_a_proposal_emails_the_head_after_commit(build, personas, django_capture_on_commit_callbacks):
    incident, propose = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        propose()
        assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["head@example.org"]]


def test_the_email_holds_the_reference_and_a_link_and_nothing_personal(build, personas,
                                                                       django_capture_on_commit_callbacks):
    incident, propose = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=True):
        propose()
    message = mail.outbox[0]
    text = message.subject + message.body
    assert incident.reference in message.subject
    assert settings.CONDUCT_BASE_URL.rstrip("/") + incident.get_absolute_url() in message.body
    for personal in ("Pat Parent", "Sam Parent", "pat@example.com", "SECRET-TEACHER-NAME", "Shouted",
                     incident.description):
        assert personal not in text


def test_a_ban_proposal_goes_to_the_chair_and_the_consultation_to_the_head(build, personas,
                                                                            django_capture_on_commit_callbacks):
    incident, propose = _propose(build, personas, ban=True)
    with django_capture_on_commit_callbacks(execute=True):
        propose()
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        build.chair_signs(incident)
    assert [m.to for m in mail.outbox[1:]] == [["head@example.org"]]


def test_never_to_another_schools_staff(build, personas, django_capture_on_commit_callbacks):
    # Even a head of the other school, and the trust reader, hear nothing about this school's case.
    incident, propose = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=True):
        propose()
    recipients = {address for m in mail.outbox for address in m.to + m.cc + m.bcc}
    assert recipients == {"head@example.org"}
    assert "other_head@example.org" not in recipients and "trust@example.org" not in recipients


def test_inactive_staff_are_not_emailed(build, personas, django_capture_on_commit_callbacks):
    StaffRole.objects.filter(user=personas["inactive"]).update(role="head")
    personas["inactive"].email = "inactive@example.org"
    personas["inactive"].save()
    incident, propose = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=True):
        propose()
    assert [m.to for m in mail.outbox] == [["head@example.org"]]


def test_a_rolled_back_change_sends_nothing(build, personas, django_capture_on_commit_callbacks):
    incident, propose = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            propose()
            raise RuntimeError("something later failed")
    assert callbacks == [] and mail.outbox == []
    incident.refresh_from_db()
    assert incident.stage == Stage.CONVERSATION


# Nobody is told about what they have just done themselves (issue 25) ------------------------------


def test_the_head_is_not_emailed_about_representations_she_recorded(ban_case, make_ban, personas, today,
                                                                   django_capture_on_commit_callbacks):
    from sanctions.bans.services import representation_record

    ban = make_ban(ban_case)
    with django_capture_on_commit_callbacks(execute=True):
        representation_record(actor=personas["head"], ban=ban, received_on=today, summary="She disagrees.")
    assert mail.outbox == []


def test_the_head_is_emailed_about_representations_a_senior_leader_recorded(ban_case, make_ban, personas, today,
                                                                            django_capture_on_commit_callbacks):
    from sanctions.bans.services import representation_record

    ban = make_ban(ban_case)
    with django_capture_on_commit_callbacks(execute=True):
        representation_record(actor=personas["senior"], ban=ban, received_on=today, summary="She disagrees.")
    assert [m.to for m in mail.outbox] == [["head@example.org"]]


def test_a_head_who_proposes_is_not_emailed_to_decide_her_own_proposal(build, personas,
                                                                       django_capture_on_commit_callbacks):
    incident, _unused = _propose(build, personas)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_submit(actor=personas["head"], incident=incident, actions=["warning"], rationale="Proportionate.")
    assert mail.outbox == []


def test_a_breach_a_senior_leader_reports_emails_only_the_head(confirmed_ban, personas,
                                                               django_capture_on_commit_callbacks):
    from datetime import timedelta

    from incidents.models import BreachCategory
    from sanctions.bans.services import ban_breach_record
    from tests.builders import while_in_force

    with django_capture_on_commit_callbacks(execute=True):
        ban_breach_record(actor=personas["senior"], ban=confirmed_ban,
                          occurred_at=while_in_force(confirmed_ban, timedelta(hours=1)),
                          place="Main gate", what_happened="Came in.", police_called=False,
                          categories=BreachCategory.objects.filter(code="inappropriate-behaviour"))
    assert [m.to for m in mail.outbox] == [["head@example.org"]]
    assert "breach of a site ban" in mail.outbox[0].subject
