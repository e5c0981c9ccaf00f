"""Every page the benchmark measures makes the same number of queries at two data sizes.

A page that queries once per row it shows, or per record in the database,
grows with the trust's data; bench/ measures the time, this measures the
shape. The first size already has a case at every stage, bans the head must
act on and a case and a person with records of their own, so every section of
every page is non-empty at both sizes and the only thing that differs is how
much there is.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import BreachCategory
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute, SiteBan

OPEN_AND_CLOSED = [Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION, Stage.PROPOSED, Stage.AWAITING_CHAIR,
                   Stage.DECIDED, Stage.CLOSED]


class World:
    """Cases at both schools, grown in rounds through the services."""

    def __init__(self, build, personas, school, other_school):
        self.build, self.p, self.school, self.other_school = build, personas, school, other_school
        self.busy_case = build.case(stage=Stage.GATHERING)
        self.frequent = build.person(name="Frances Frequent")
        self.rounds = 0

    def grow(self):
        """One more case at every stage at each school, a ban at each step the head acts on,
        five more timeline events on the busy case and two more incidents for the frequent person."""
        self.rounds += 1
        for stage in OPEN_AND_CLOSED:
            self.build.case(stage=stage)
            # The builder's Chair sits at the first school only.
            if stage != Stage.AWAITING_CHAIR:
                self.build.case(stage=stage, school=self.other_school)
        today = timezone.localdate()
        for route in (BanRoute.PROVISIONAL, BanRoute.NOTICE):
            ban = self._ban(route, today)
            SiteBan.objects.filter(pk=ban.pk).update(representations_by=today - timedelta(days=1))
        confirmed = self._ban(BanRoute.PROVISIONAL, today)
        SiteBan.objects.filter(pk=confirmed.pk).update(status="confirmed", review_on=today + timedelta(days=3))
        # The register's other two sections: a ban starting within 14 days, one lifted lately.
        soon = self._ban(BanRoute.NOTICE, today)
        SiteBan.objects.filter(pk=soon.pk).update(status="confirmed", starts_on=today + timedelta(days=5),
                                                  representations_by=today - timedelta(days=1))
        lifted = self._ban(BanRoute.PROVISIONAL, today)
        SiteBan.objects.filter(pk=lifted.pk).update(status="lifted", lifted_on=today - timedelta(days=3))
        for n in range(5):
            incident_services.event_record(actor=self.p["senior"], incident=self.busy_case, kind="note",
                                           summary=f"Telephone call {self.rounds}.{n}")
        for _ in range(2):
            self.build.incident(person=self.frequent, categories=("offensive-language", "threatening"))

    def _ban(self, route, today):
        case = self.build.case(stage=Stage.DECIDED, ban=True, categories=("threatening", "aggression"))
        starts = today if route == BanRoute.PROVISIONAL else today + timedelta(days=20)
        return ban_services.ban_create(
            actor=self.p["head"], incident=case, person=case.subjects()[0], route=route,
            sites=[self.school], starts_on=starts, ends_on=starts + timedelta(days=180),
            review_on=starts + timedelta(days=90), pupil_arrangements="Collected by an aunt at the office.",
            reasons="Staff felt threatened.",
        )


def _pages(world):
    category = BreachCategory.objects.get(code="threatening").pk
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    today = timezone.localdate().isoformat()
    lists = ["/incidents/", "/incidents/?page=2", "/incidents/?q=Parent", f"/incidents/?q={world.busy_case.reference}",
             f"/incidents/?category={category}", "/incidents/?stage=gathering",
             f"/incidents/?date_from={week_ago}&date_to={today}", "/incidents/?overdue=1",
             f"/incidents/?school={world.school.pk}"]
    pages = [(persona, url) for persona in ("office", "head", "trust") for url in lists]
    pages += [("head", "/incidents/?work=decide"), ("senior", "/incidents/?work=gather"),
              ("head", "/incidents/?work=ban_deadline"), ("office", "/incidents/?work=logged")]
    pages += [(persona, "/") for persona in ("office", "senior", "head", "chair", "trust", "other_office",
                                            "other_head")]
    pages += [
        ("head", world.busy_case.get_absolute_url()), ("trust", world.busy_case.get_absolute_url()),
        ("head", world.frequent.get_absolute_url()), ("office", world.frequent.get_absolute_url()),
        ("office", "/people/"), ("office", "/people/?q=Parent"), ("trust", "/people/"), ("trust", "/people/?page=2"),
        ("office", "/bans/register/"), ("trust", "/bans/register/"), ("office", "/bans/register/print/"),
        ("office", "/bans/register/?q=Parent"), ("office", "/bans/register/check/?name=Pat+Parent"),
        ("trust", "/bans/register/check/?name=Parent"), ("office", "/bans/register/export.csv"),
        ("head", "/bans/register/export.csv"),
    ]
    return pages


def _count(client, url) -> int:
    client.get(url)  # warm: the session, content types and caches of a first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def small_pages(monkeypatch):
    # Two rows a page, so "page 2" exists at the small size too.
    monkeypatch.setattr("incidents.views.PAGE_SIZE", 2)


def test_every_benchmarked_page_makes_the_same_queries_at_two_sizes(build, personas, school, other_school,
                                                                      client_as, small_pages):
    world = World(build, personas, school, other_school)
    world.grow()
    clients = {name: client_as(name) for name in personas if personas[name] is not None and name != "inactive"}
    pages = _pages(world)
    small = {(persona, url): _count(clients[persona], url) for persona, url in pages}
    for _ in range(3):
        world.grow()
    large = {(persona, url): _count(clients[persona], url) for persona, url in pages}
    assert large == small
    # The case page and the person page stay well inside what a page may cost.
    assert small[("head", world.busy_case.get_absolute_url())] < 15
    # The person page also reads the code of conduct given and the collectors (issue 26): two short lists.
    assert small[("head", world.frequent.get_absolute_url())] < 17


def test_the_pages_show_what_grew(build, personas, school, other_school, client_as):
    """The counts above would be equal if the pages showed nothing: they do show the data."""
    world = World(build, personas, school, other_school)
    world.grow()
    world.grow()
    head = client_as("head")
    case_page = head.get(world.busy_case.get_absolute_url()).content.decode()
    assert case_page.count("Telephone call") == 10
    person_page = head.get(world.frequent.get_absolute_url()).content.decode()
    assert person_page.count(f"{school.code.upper()}-") >= 4
    home = head.get("/").context["sections"]
    assert all(section["total"] for section in home if section["key"] in {"decide", "ban_deadline", "ban_review"})
