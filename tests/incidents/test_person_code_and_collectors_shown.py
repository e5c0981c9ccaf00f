"""The person page (issue 26, done when): when the person was given the code of conduct and who collects their
child, each school's own; another school never sees them."""

from datetime import date

from django.urls import reverse

from incidents.models import CodeGivenHow
from incidents.selectors import CODES_GIVEN_SHOWN
from incidents.services import code_given_record, collector_add


def _page(client_as, name, person):
    return client_as(name).get(reverse("incidents:person_detail", args=[person.pk])).content.decode()


def _give(personas, person, school, day, actor="office"):
    code_given_record(actor=personas[actor], person=person, school=school, given_on=day, how=CodeGivenHow.LETTER)


def test_the_page_shows_when_the_code_was_given_and_who_collects(build, personas, school, client_as):
    person = build.person()
    _give(personas, person, school, date(2025, 9, 3))
    collector_add(actor=personas["office"], person=person, school=school, name="Jean Parent",
                  relationship="grandmother", told_on=date(2025, 9, 10))
    collector_add(actor=personas["office"], person=person, school=school, name="Kim Minder",
                  relationship="childminder")
    for name in ("office", "chair", "trust"):
        page = _page(client_as, name, person)
        assert "3 Sep 2025, by letter" in page
        assert "Jean Parent" in page and "Told of the code of conduct on 10 Sep 2025" in page
        assert "Kim Minder" in page and "Not yet known to have been told" in page
    assert "Record the code of conduct given" in _page(client_as, "office", person)
    assert "Record the code of conduct given" not in _page(client_as, "chair", person)


def test_another_school_sees_only_its_own(build, personas, school, other_school, client_as):
    person = build.person()
    build.incident(school=other_school, person=person)
    _give(personas, person, school, date(2025, 9, 3))
    collector_add(actor=personas["office"], person=person, school=school, name="Jean Parent", relationship="gran")
    _give(personas, person, other_school, date(2024, 1, 5), actor="other_office")
    theirs = _page(client_as, "other_head", person)
    assert "5 Jan 2024" in theirs and "3 Sep 2025" not in theirs and "Jean Parent" not in theirs
    ours = _page(client_as, "head", person)
    assert "3 Sep 2025" in ours and "5 Jan 2024" not in ours
    # The trust reads both, each with its school named.
    trust = _page(client_as, "trust", person)
    assert "5 Jan 2024" in trust and "3 Sep 2025" in trust and other_school.name in trust


def test_the_page_shows_the_latest_few(build, personas, school, client_as):
    person = build.person()
    for n in range(CODES_GIVEN_SHOWN + 2):
        _give(personas, person, school, date(2020, 1, 1 + n))
    response = client_as("office").get(reverse("incidents:person_detail", args=[person.pk]))
    shown = [c.given_on for c in response.context["codes_given"]]
    assert len(shown) == CODES_GIVEN_SHOWN and shown[0] == date(2020, 1, CODES_GIVEN_SHOWN + 2)
