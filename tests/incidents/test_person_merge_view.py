"""/people/<pk>/merge/: find the other record, compare the two, confirm; the survivor's page says what was merged."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conduct.models import StaffRole
from conduct.roles import Role
from incidents import services
from incidents.models import IncidentPerson, Person, PersonMerge
from incidents.workflow import Stage
from sanctions.audit import run_audit
from sanctions.bans import services as ban_services
from sanctions.letters import services as letter_services
from sanctions.models import BanRoute, Letter, SiteBan

REASON = "Same phone and the same child."


def url(person):
    return reverse("incidents:person_merge", args=[person.pk])


@pytest.fixture
def dpo_client(personas):
    user = get_user_model().objects.create_user(username="dpo", password="pw-for-tests-only")
    StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two(build):
    return build.person(name="Jason Reid"), build.person(name="Jason Reid")


@pytest.fixture
def jason(build, personas, school):
    """Two records of Jason Reid: one with a ban and its issued letter, one with another case."""
    first, second = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    ban_case = build.case(stage=Stage.DECIDED, ban=True, person=first, categories=("threatening",))
    today = timezone.localdate()
    ban = ban_services.ban_create(
        actor=personas["head"], incident=ban_case, person=first, route=BanRoute.PROVISIONAL, sites=[school],
        starts_on=today, ends_on=today + timedelta(days=180), review_on=today + timedelta(days=90),
        pupil_arrangements="Sam is collected from the office entrance.", reasons="Staff felt threatened.")
    letter = letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    other_case = build.case(person=second)
    return {"first": first, "second": second, "ban_case": ban_case, "ban": ban, "letter": letter,
            "other_case": other_case}


def test_the_head_merges_jason_reid_and_his_page_lists_both_records(jason, client_as):
    first, second = jason["first"], jason["second"]
    pdf = bytes(jason["letter"].pdf)
    head = client_as("head")
    compare = head.get(url(first), {"other": second.pk})
    assert compare.status_code == 200
    page = compare.content.decode()
    assert f"Keep Jason Reid (#{first.pk})" in page and f"Keep Jason Reid (#{second.pk})" in page
    response = head.post(url(first), {"other": second.pk, "keep": "other", "reason": REASON})
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert not Person.objects.filter(pk=first.pk).exists()
    page = head.get(second.get_absolute_url()).content.decode()
    assert jason["ban_case"].reference in page and jason["other_case"].reference in page
    assert f"Merged from Jason Reid (#{first.pk}) on " in page and "by Head" in page
    # Its letters and bans: those of both records.
    assert reverse("sanctions:ban_detail", args=[jason["ban"].pk]) in page
    assert reverse("sanctions:letter_detail", args=[jason["letter"].pk]) in page
    assert SiteBan.objects.get(pk=jason["ban"].pk).person_id == second.pk
    letter = Letter.objects.get(pk=jason["letter"].pk)
    assert letter.person_id == second.pk and bytes(letter.pdf) == pdf
    assert run_audit() == []


def test_keeping_this_record(two, client_as):
    this, other = two
    response = client_as("head").post(url(this), {"other": other.pk, "keep": "this", "reason": REASON})
    assert response["Location"] == this.get_absolute_url()
    assert PersonMerge.objects.get().merged_person_id == other.pk


def test_the_dpo_merges_across_schools(build, other_school, dpo_client):
    here, there = build.person(name="Jason Reid"), build.person(name="Jason Reid", school=other_school)
    response = dpo_client.post(url(here), {"other": there.pk, "keep": "this", "reason": REASON})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=there.pk).exists()


def test_who_may_open_the_merge_page(two, statuses, dpo_client):
    this, _ = two
    assert statuses(url(this)) == {"office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403,
                                   "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302}
    assert dpo_client.get(url(this)).status_code == 200


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_office", "other_head"])
def test_nobody_else_merges(persona, two, client_as):
    this, other = two
    response = client_as(persona).post(url(this), {"other": other.pk, "keep": "this", "reason": REASON})
    assert response.status_code in (403, 404)
    assert Person.objects.filter(pk=other.pk).exists()


def test_the_link_shows_to_those_who_may_merge(two, client_as):
    this, _ = two
    link = url(this)
    assert link in client_as("head").get(this.get_absolute_url()).content.decode()
    for persona in ("office", "senior", "chair", "trust"):
        assert link not in client_as(persona).get(this.get_absolute_url()).content.decode()


def test_a_record_also_known_at_another_school_is_refused_to_a_head(build, personas, client_as, other_school):
    this, other = build.person(name="Jason Reid"), build.person(name="Jason Reid")
    build.case(person=other, school=other_school)
    head = client_as("head")
    page = head.get(url(this), {"other": other.pk}).content.decode()
    assert "ask the data protection officer" in page and "Merge the records" not in page
    response = head.post(url(this), {"other": other.pk, "keep": "this", "reason": REASON})
    assert response.status_code == 200 and "ask the data protection officer" in response.content.decode()
    assert Person.objects.filter(pk=other.pk).exists()
    # And the record known at two schools offers no merge to either head.
    assert head.get(url(other)).status_code == 403
    assert client_as("other_head").get(url(other)).status_code == 403


def test_finding_the_other_record_by_name(two, build, client_as):
    this, other = two
    build.person(name="Someone Else")
    page = client_as("head").get(url(this), {"q": "reid"}).content.decode()
    assert f"?other={other.pk}" in page and f"?other={this.pk}" not in page and "Someone Else" not in page


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "²", "1.5", "9" * 30, str(2**63), " ", "1e3", "\x00"])
def test_hostile_numbers_are_form_errors(value, two, client_as):
    this, _ = two
    head = client_as("head")
    assert head.get(url(this), {"other": value}).status_code == 200
    response = head.post(url(this), {"other": value, "keep": "this", "reason": REASON})
    assert response.status_code == 200
    assert Person.objects.count() == 2 and not PersonMerge.objects.exists()


def test_a_record_is_not_merged_into_itself_nor_with_one_out_of_sight(two, build, client_as, other_school):
    this, _ = two
    elsewhere = build.person(name="Jason Reid", school=other_school)
    head = client_as("head")
    for other in (this, elsewhere):
        response = head.post(url(this), {"other": other.pk, "keep": "this", "reason": REASON})
        assert response.status_code == 200 and "No record with that number that you may see." in (
            response.content.decode())
    assert Person.objects.count() == 3


def test_a_bad_keep_or_no_reason_is_a_form_error(two, client_as):
    this, other = two
    head = client_as("head")
    for data in ({"keep": "both", "reason": REASON}, {"keep": "this", "reason": ""}, {"keep": "this"}):
        response = head.post(url(this), {"other": other.pk, **data})
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_huge_person_numbers_in_the_address_are_404(client_as):
    head = client_as("head")
    assert head.get(f"/people/{'9' * 30}/merge/").status_code == 404


def test_merged_from_lines_cost_no_query(build, personas, client_as):
    survivor = build.person(name="Jason Reid")
    head = client_as("head")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert head.get(survivor.get_absolute_url()).status_code == 200
        return len(captured)

    queries()  # the first request reads the session and the user's roles
    before = queries()
    for _ in range(2):
        services.person_merge(actor=personas["head"], survivor=survivor,
                              duplicate=build.person(name="Jason Reid"), reason=REASON)
    assert queries() == before
    page = head.get(survivor.get_absolute_url()).content.decode()
    assert page.count("Merged from Jason Reid") == 2
    assert IncidentPerson.objects.count() == 0
