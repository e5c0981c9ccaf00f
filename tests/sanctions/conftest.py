"""Fixtures for letters and bans, built through the services like the shared builders."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services as incident_services
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services
from sanctions.models import ActionKind, BanRoute, DecisionOutcome, SiteBan
from sanctions.responses import services as sanction_services

ROLE_PERSONAS = ["office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive"]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def letters_case(build, personas):
    """A decided case whose response is a meeting and a warning letter."""
    incident = build.case(stage=Stage.CONVERSATION, categories=("offensive-language", "threatening"))
    incident_services.conversation_record(
        actor=personas["senior"], incident=incident, took_place=True, held_on=timezone.now() - timedelta(hours=1),
        present="Deputy", parent_said="Sorry.",
    )
    sanction_services.proposal_submit(
        actor=personas["senior"], incident=incident, actions=[ActionKind.MEETING, ActionKind.WARNING_LETTER],
        rationale="Proportionate.",
    )
    sanction_services.decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.APPROVED,
                                      reasons="Agreed.")
    build.account_for_parent(incident, actor=personas["senior"])
    incident.refresh_from_db()
    return incident


@pytest.fixture
def ban_case(build):
    """A decided case whose response is a site ban the Chair signed off."""
    return build.case(stage=Stage.DECIDED, ban=True, categories=("threatening", "aggression"))


@pytest.fixture
def make_ban(personas, school, today):
    def make(incident, *, route=BanRoute.PROVISIONAL, sites=None, days=180, starts_in=None, **kwargs):
        if starts_in is None:
            starts_in = 0 if route == BanRoute.PROVISIONAL else 20
        starts_on = today + timedelta(days=starts_in)
        return ban_services.ban_create(
            actor=personas["head"], incident=incident, person=incident.subjects()[0], route=route,
            sites=sites or [school], starts_on=starts_on, ends_on=starts_on + timedelta(days=days),
            review_on=starts_on + timedelta(days=days // 2),
            pupil_arrangements="Sam is brought to and collected from the office entrance by an aunt.",
            reasons="Staff felt threatened.", **kwargs,
        )
    return make


@pytest.fixture
def deadline_passed(today):
    """Move a ban's representations deadline into the past (time passing, for the test)."""
    def move(ban):
        SiteBan.objects.filter(pk=ban.pk).update(representations_by=today - timedelta(days=1))
        ban.refresh_from_db()
        return ban
    return move


@pytest.fixture
def confirmation_draft(ban_case, make_ban, personas, deadline_passed):
    """A provisional ban, its letter issued, confirmed after the deadline: the confirmation letter, a draft."""
    ban = make_ban(ban_case)
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    deadline_passed(ban)
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Necessary to protect staff.")
    return ban.letters.get(kind="ban_confirmed")


@pytest.fixture
def confirmed_ban(confirmation_draft, personas):
    """The confirmed ban with its confirmation letter issued."""
    letter_services.letter_issue(actor=personas["head"], letter=confirmation_draft, sent_by="hand")
    ban = confirmation_draft.ban
    ban.refresh_from_db()
    return ban


ALL = ["office", "senior", "head", "chair", "trust", "other_office", "other_head", "inactive", "anonymous"]
OUTSIDERS = {"other_office": 404, "other_head": 404, "anonymous": "login", "inactive": "login"}


def expected_statuses(**own):
    """Statuses for every persona: `own` for the school's roles, 404 for another school, login for the rest."""
    return {**own, **OUTSIDERS}


@pytest.fixture
def check_access(client_as):
    """Request `url` as each persona and compare with `expected` (status, or "login" for the redirect)."""
    def check(url, expected, *, method="get", data=None):
        seen = {}
        for persona, want in expected.items():
            response = getattr(client_as(persona), method)(url, data or {})
            if want == "login":
                ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
                seen[persona] = "login" if ok else response.status_code
            else:
                seen[persona] = response.status_code
        assert seen == expected
    return check


@pytest.fixture
def make_complaint(personas, today):
    """A complaint received today about the case's latest decision (or `ban`), at `stage`."""
    from sanctions.complaints import services as complaint_services

    def make(incident, *, stage="informal", ban=None, actor=None, **kwargs):
        return complaint_services.complaint_record(
            actor=actor or personas["senior"], incident=incident, complainant=incident.subjects()[0],
            received_on=kwargs.pop("received_on", today), summary="The decision was unfair.", stage=stage,
            decision=None if ban else incident.decisions.last(), ban=ban, **kwargs)
    return make
