"""'Report a breach' from a register entry: the form with the section 547 guidance, and who may use it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory
from sanctions.models import BanBreach


def _url(ban):
    return f"/bans/register/{ban.pk}/breach/"


def _data(**overrides):
    return {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "Playground",
            "what_happened": "Walked in behind another parent.",
            "categories": [BreachCategory.objects.get(code="inappropriate-behaviour").pk],
            "police_called": "on", "police_reference": "CAD 99"} | overrides


def test_the_address_is_fixed(confirmed_ban):
    assert reverse("sanctions:ban_breach_new", args=[confirmed_ban.pk]) == _url(confirmed_ban)


def test_the_register_entry_links_to_it(confirmed_ban, client_as):
    assert _url(confirmed_ban) in client_as("office").get("/bans/register/").content.decode()
    assert _url(confirmed_ban) not in client_as("chair").get("/bans/register/").content.decode()


def test_the_page_gives_the_section_547_guidance(confirmed_ban, client_as):
    page = client_as("office").get(_url(confirmed_ban)).content.decode()
    assert "section 547 of the Education Act 1996" in page and "999" in page
    assert "offence to cause a nuisance or disturbance" in page and "may be removed" in page
    assert "section 547" in page and "authorised" in page


def test_reporting_creates_the_case_and_the_ban_page_lists_it(confirmed_ban, client_as, personas):
    response = client_as("office").post(_url(confirmed_ban), _data())
    breach = BanBreach.objects.get()
    assert response.status_code == 302 and response["Location"] == breach.incident.get_absolute_url()
    ban_page = client_as("head").get(reverse("sanctions:ban_detail", args=[confirmed_ban.pk])).content.decode()
    assert breach.incident.reference in ban_page and "CAD 99" in ban_page
    new_case = client_as("head").get(breach.incident.get_absolute_url()).content.decode()
    assert "records a breach of the site ban" in new_case and confirmed_ban.incident.reference in new_case
    old_case = client_as("head").get(confirmed_ban.incident.get_absolute_url()).content.decode()
    assert breach.incident.reference in old_case


def test_bad_input_keeps_what_was_typed(confirmed_ban, client_as):
    response = client_as("office").post(_url(confirmed_ban), _data(place="", what_happened="He came in " * 3))
    assert response.status_code == 200 and "He came in He came in" in response.content.decode()
    assert not BanBreach.objects.exists()


@pytest.mark.parametrize("field,value", [("occurred_at", "9999-12-31T23:59"), ("occurred_at", "nonsense"),
                                         ("place", "x" * 10000), ("what_happened", "x" * 20000),
                                         ("categories", "9" * 40), ("police_reference", "\x00")])
def test_odd_input_is_a_form_error_not_a_500(confirmed_ban, client_as, field, value):
    response = client_as("office").post(_url(confirmed_ban), _data(**{field: value}))
    assert response.status_code == 200 and not BanBreach.objects.exists()


def test_who_may_report(confirmed_ban, client_as):
    for persona in ("office", "senior", "head"):
        assert client_as(persona).get(_url(confirmed_ban)).status_code == 200, persona
    assert client_as("chair").get(_url(confirmed_ban)).status_code == 403
    assert client_as("chair").post(_url(confirmed_ban), _data()).status_code == 403
    for persona in ("other_office", "other_head"):
        assert client_as(persona).get(_url(confirmed_ban)).status_code == 404, persona
        assert client_as(persona).post(_url(confirmed_ban), _data()).status_code == 404, persona
    assert client_as("anonymous").get(_url(confirmed_ban))["Location"].startswith("/accounts/login/")
    assert not BanBreach.objects.exists()


def test_a_ban_no_longer_in_force_has_no_breach_page(confirmed_ban, client_as, personas):
    from sanctions.bans import services as ban_services
    from sanctions.models import ReviewOutcome

    ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome=ReviewOutcome.LIFT, reasons="Over.")
    assert client_as("office").get(_url(confirmed_ban)).status_code == 404


def test_the_report_counts_breaches(confirmed_ban, client_as):
    client_as("office").post(_url(confirmed_ban), _data())
    response = client_as("head").get(reverse("reports:dashboard"))
    assert response.context["figures"].bans["breaches"] == 1
