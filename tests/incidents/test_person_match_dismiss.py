"""incidents.services.person_match_dismiss and its view (issue 21.5): only the heads of the two schools of the pair,
and the DPO, decide; the decision is recorded (who, when, history, the audit log)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from incidents import services
from incidents.models import MatchStatus, PersonMatch
from tests.incidents.person_matches import banned_at_one, dpo_user, lookalike_at_two, named_at_two

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(build, personas, school, other_school):
    banned_at_one(build, personas, school)
    case_two = named_at_two(personas, other_school, lookalike_at_two(personas, other_school))
    match = PersonMatch.objects.get()
    match.case_two = case_two
    return match


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_office"])
def test_others_may_not_decide(match, personas, persona):
    with pytest.raises(PermissionDenied):
        services.person_match_dismiss(actor=personas[persona], match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN


@pytest.mark.parametrize("persona", ["head", "other_head", "dpo"])
def test_either_head_or_the_dpo_decides_and_it_is_recorded(match, personas, persona, caplog):
    actor = dpo_user() if persona == "dpo" else personas[persona]
    with caplog.at_level(logging.INFO, logger="conduct.audit"):
        services.person_match_dismiss(actor=actor, match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME
    assert match.decided_by == actor and match.decided_at is not None
    latest = match.history.first()
    assert latest.history_change_reason == "Not the same person" and latest.history_user == actor
    assert any("person_match_not_same" in r.getMessage() for r in caplog.records)


def test_a_decided_pair_is_not_decided_again(match, personas):
    services.person_match_dismiss(actor=personas["head"], match=match)
    with pytest.raises(ValidationError):
        services.person_match_confirm(actor=personas["other_head"], match=match)
    with pytest.raises(ValidationError):
        services.person_match_dismiss(actor=personas["other_head"], match=match)


def test_the_view_posts_for_the_two_heads_and_the_dpo_and_404s_for_everyone_else(match, statuses, personas):
    url = f"/people/matches/{match.pk}/dismiss/"
    assert statuses(url, personas=["office", "senior", "chair", "trust", "other_office"],
                    method="post") == dict.fromkeys(["office", "senior", "chair", "trust", "other_office"], 404)
    assert statuses(url, personas=["anonymous"], method="post")["anonymous"] == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN
    dpo = Client()
    dpo.force_login(dpo_user())
    assert dpo.get(url).status_code == 405
    response = dpo.post(url, {"next": str(match.case_two.pk)})
    assert response.status_code == 302 and response["Location"] == match.case_two.get_absolute_url()
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME


def test_the_view_from_school_twos_head(match, client_as):
    response = client_as("other_head").post(f"/people/matches/{match.pk}/dismiss/")
    assert response.status_code == 302 and response["Location"] == f"/people/matches/{match.pk}/"
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME


def test_a_dismissed_pair_is_not_raised_again_nor_shown(match, personas, other_school, client_as):
    services.person_match_dismiss(actor=personas["other_head"], match=match)
    named_at_two(personas, other_school, match.other_person)
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME and PersonMatch.objects.count() == 1
    page = client_as("other_head").get(match.case_two.get_absolute_url()).content.decode()
    assert "Records at other schools" not in page
    assert "Contact the head of" not in client_as("other_head").get("/").content.decode()
