"""The issue's "done when", through the pages: Chair signs off, head bans provisionally and issues the
letter, records representations, confirms with a letter; office sees the register; a review lifts it."""

import hashlib
from datetime import timedelta

from django.urls import reverse

from incidents.workflow import Stage
from sanctions.models import Letter, SiteBan


def test_the_whole_ban_through_the_pages(build, client_as, school, today):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    chair, head, office = client_as("chair"), client_as("head"), client_as("office")
    assert chair.post(reverse("sanctions:consultation_new", args=[incident.pk]), {
        "consulted_on": today.isoformat(), "method": "phone", "chair_view": "A ban is proportionate.",
        "signed_off": "yes"}).status_code == 302
    assert head.post(reverse("sanctions:decision_new", args=[incident.pk]), {
        "outcome": "approved", "reasons": "Staff were threatened."}).status_code == 302
    head.post(reverse("sanctions:ban_new", args=[incident.pk]), {
        "person": incident.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=120)).isoformat(),
        "review_on": (today + timedelta(days=60)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(),
        "pupil_arrangements": "Collected from the office by an aunt.", "reasons": "Staff were threatened.",
    })
    ban = SiteBan.objects.get(incident=incident)
    provisional = ban.letters.get(kind="provisional_ban")
    # Drafted from the office's description: not sent until it is written for the parent.
    refused = head.post(reverse("sanctions:letter_issue", args=[provisional.pk]), {"sent_by": "post"}, follow=True)
    assert "still the office&#x27;s account, written for staff" in refused.content.decode()
    assert Letter.objects.get(pk=provisional.pk).status == "draft"
    account = "On Monday at the gate, you shouted at the Year 4 teacher and would not leave when asked."
    assert head.post(reverse("sanctions:case_account_edit", args=[incident.pk]),
                     {"text": account, "version": 1}).status_code == 302
    assert head.post(reverse("sanctions:letter_issue", args=[provisional.pk]), {"sent_by": "post"}).status_code == 302
    pdf = head.get(reverse("sanctions:letter_download", args=[provisional.pk])).content
    assert hashlib.sha256(pdf).hexdigest() == Letter.objects.get(pk=provisional.pk).sha256

    head.post(reverse("sanctions:representation_new", args=[ban.pk]),
              {"received_on": today.isoformat(), "summary": "He says he was provoked."})
    assert head.post(reverse("sanctions:ban_confirm", args=[ban.pk]),
                     {"reasons": "Considered; the risk to staff remains."}).status_code == 302
    confirmation = ban.letters.get(kind="ban_confirmed")
    assert confirmation.facts == account and confirmation.facts_for_parent
    head.post(reverse("sanctions:letter_issue", args=[confirmation.pk]), {"sent_by": "hand"})
    assert Letter.objects.get(pk=confirmation.pk).status == "issued"

    register = office.get("/bans/register/").content.decode()
    assert ban.person.full_name in register

    assert head.post(reverse("sanctions:ban_review_new", args=[ban.pk]),
                     {"outcome": "lift", "reasons": "No further concern."}).status_code == 302
    [register] = office.get("/bans/register/").context["registers"]
    assert register.today == [] and [b.pk for b in register.ended] == [ban.pk]  # "may return from" today
    lifted = ban.letters.get(kind="ban_withdrawn")
    head.post(reverse("sanctions:letter_issue", args=[lifted.pk]), {"sent_by": "post"})
    assert Letter.objects.get(pk=lifted.pk).status == "issued"
    # Every action done: the case can close.
    assert head.post(reverse("sanctions:case_close", args=[incident.pk]), {"outcome": "Banned, then lifted."}
                     ).status_code == 302
    incident.refresh_from_db()
    assert incident.stage == Stage.CLOSED
