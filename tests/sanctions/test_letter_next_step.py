"""Until the parent has the letter, sending it is the next step: the primary button on the case and the ban,
the ban saying the parent has not been told; after issuing, what comes next with its dates."""

import re

from django.urls import reverse

from conduct.dates import page_date
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services

NOT_TOLD = "Provisional: in force; the parent has not yet been told"


def _primary_button(page):
    match = re.search(r'class="card next-step.*?class="btn btn-primary"[^>]*>([^<]+)<', page, re.S)
    return match and match.group(1).strip()


def test_the_drafted_ban_letter_is_the_cases_and_the_bans_primary_button(ban_case, make_ban, client_as):
    ban = make_ban(ban_case)
    head = client_as("head")
    case_page = head.get(ban_case.get_absolute_url()).content.decode()
    assert _primary_button(case_page) == "Check and issue the letter"
    assert NOT_TOLD in case_page
    ban_page = head.get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
    assert _primary_button(ban_page) == "Check and issue the letter"
    assert NOT_TOLD in ban_page
    assert reverse("sanctions:letter_detail", args=[ban.letters.get().pk]) in ban_page


def test_once_issued_the_ban_is_simply_in_force(ban_case, make_ban, client_as, personas):
    ban = make_ban(ban_case)
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    ban_page = client_as("head").get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
    assert "not yet been told" not in ban_page and "Provisional: in force, representations invited" in ban_page
    assert "Check and issue the letter" not in ban_page


def test_a_senior_leader_is_sent_to_write_the_account_first(build, make_ban, client_as):
    incident = build.case(stage=Stage.DECIDED, ban=True, account=False)
    make_ban(incident)
    senior_page = client_as("senior").get(incident.get_absolute_url()).content.decode()
    assert _primary_button(senior_page) == "Write what happened for the parent"
    assert "once what happened is written for the parent" in senior_page


def test_after_issuing_the_page_says_what_comes_next_with_its_dates(ban_case, make_ban, client_as, personas):
    ban = make_ban(ban_case)
    letter = ban.letters.get()
    response = client_as("head").post(reverse("sanctions:letter_issue", args=[letter.pk]), {"sent_by": "hand"},
                                      follow=True)
    page = response.content.decode()
    assert "What comes next" in page
    assert f"Representations are due by {page_date(ban.representations_by)}" in page
    assert "confirms or withdraws the ban" in page


def test_after_the_confirmation_the_review_date_comes_next(confirmed_ban, client_as):
    letter = confirmed_ban.letters.get(kind="ban_confirmed")
    page = client_as("office").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert f"The ban is to be reviewed by {page_date(confirmed_ban.review_on)}." in page


def test_the_confirm_page_shows_the_ban_and_the_representations(ban_case, make_ban, client_as, personas, today):
    ban = make_ban(ban_case)
    ban_services.representation_record(actor=personas["senior"], ban=ban, received_on=today,
                                       summary="He says he was provoked by another parent.")
    page = client_as("head").get(reverse("sanctions:ban_confirm", args=[ban.pk])).content.decode()
    assert "The parent's representations" in page and "He says he was provoked by another parent." in page
    assert "The ban" in page and page_date(ban.ends_on) in page and "Staff felt threatened." in page


def test_the_confirm_page_says_when_nothing_was_received(ban_case, make_ban, client_as, deadline_passed):
    ban = deadline_passed(make_ban(ban_case))
    page = client_as("head").get(reverse("sanctions:ban_confirm", args=[ban.pk])).content.decode()
    assert "None received" in page


def test_after_the_notice_the_page_leads_to_recording_representations(ban_case, make_ban, client_as, personas,
                                                                      deadline_passed):
    ban = make_ban(ban_case)
    letter = ban.letters.get()
    letter_services.letter_issue(actor=personas["head"], letter=letter, sent_by="hand")
    detail = reverse("sanctions:letter_detail", args=[letter.pk])
    link = reverse("sanctions:representation_new", args=[ban.pk])
    for persona in ("senior", "head"):
        assert link in client_as(persona).get(detail).content.decode()
    for persona in ("office", "chair", "trust"):
        assert link not in client_as(persona).get(detail).content.decode()
    ban_services.ban_confirm(actor=personas["head"], ban=deadline_passed(ban), reasons="No representations came.")
    assert link not in client_as("head").get(detail).content.decode()
