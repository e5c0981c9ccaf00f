"""The reports make the same number of queries at two data sizes; the CSV reads a chunk of rows at a time.

Times are measured in bench/, never here: this measures the shape.
"""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import BreachCategory
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.models import BanRoute

STAGES = [Stage.REPORTED, Stage.GATHERING, Stage.CONVERSATION, Stage.PROPOSED, Stage.AWAITING_CHAIR,
          Stage.DECIDED, Stage.CLOSED]


class Grower:
    def __init__(self, build, personas, school, other_school):
        self.build, self.p, self.school, self.other_school = build, personas, school, other_school
        self.frequent = build.person(name="Frances Frequent")

    def grow(self):
        """A case at every stage at each school, a ban in force, and three more incidents for one person."""
        for stage in STAGES:
            self.build.case(stage=stage, categories=("threatening", "offensive-language"))
            if stage != Stage.AWAITING_CHAIR:  # the builder's Chair sits at the first school only
                self.build.case(stage=stage, school=self.other_school)
        case = self.build.case(stage=Stage.DECIDED, ban=True, categories=("aggression",))
        today = timezone.localdate()
        ban_services.ban_create(
            actor=self.p["head"], incident=case, person=case.subjects()[0], route=BanRoute.PROVISIONAL,
            sites=[self.school], starts_on=today, ends_on=today + timedelta(days=20),
            review_on=today + timedelta(days=10), pupil_arrangements="At the office.", reasons="Threats.")
        for days_ago in (3, 40, 80):
            self.build.incident(person=self.frequent, days_ago=days_ago)


def _pages(school, other_school):
    threatening = BreachCategory.objects.get(code="threatening").pk
    today = timezone.localdate()
    period = f"from={(today - timedelta(days=120)).isoformat()}&to={today.isoformat()}"
    return [
        ("head", "/reports/"), ("head", f"/reports/?{period}&category={threatening}"),
        ("senior", "/reports/"), ("chair", "/reports/"), ("other_head", "/reports/"),
        ("trust", "/reports/"), ("trust", f"/reports/?school={school.pk}&{period}"),
        ("trust", f"/reports/?school={other_school.pk}&category={threatening}"),
        ("head", "/reports/board.pdf"), ("trust", f"/reports/board.pdf?school={school.pk}&{period}"),
        ("head", "/reports/incidents.csv"), ("trust", "/reports/incidents.csv"),
        ("head", f"/reports/incidents.csv?category={threatening}&stage=closed"),
    ]


def _count(client, url) -> int:
    client.get(url)  # warm: the session and the content types of a first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_every_report_makes_the_same_queries_at_two_sizes(build, personas, school, other_school, client_as,
                                                          monkeypatch):
    # Both sizes fit in the CSV's first chunk: what grows per chunk is the next test's subject.
    monkeypatch.setattr("reports.exports.FIRST_CHUNK_SIZE", 500)
    grower = Grower(build, personas, school, other_school)
    grower.grow()
    clients = {}
    pages = _pages(school, other_school)
    for persona, _ in pages:
        clients.setdefault(persona, client_as(persona))
    small = {(persona, url): _count(clients[persona], url) for persona, url in pages}
    for _ in range(2):
        grower.grow()
    large = {(persona, url): _count(clients[persona], url) for persona, url in pages}
    assert large == small
    # The dashboard is a fixed set of aggregate queries, comparison table and all.
    assert small[("trust", "/reports/")] < 30
    assert small[("head", "/reports/")] < 30


def test_the_dashboard_shows_what_grew(build, personas, school, other_school, client_as):
    """The counts above would be equal if the page showed nothing: it does show the data."""
    grower = Grower(build, personas, school, other_school)
    grower.grow()
    grower.grow()
    figures = client_as("head").get("/reports/").context["figures"]
    # Each round: six open stages, the ban's decided case and three incidents for the frequent person.
    assert figures.open_cases["total"] == 20
    assert figures.bans["in_force"] == 2
    assert figures.repeat["total"] == 1 and figures.repeat["named"][0]["name"] == "Frances Frequent"


def test_the_csv_reads_its_rows_a_chunk_at_a_time(build, client_as, monkeypatch):
    """Each chunk of rows is one query for the rows and one for each kind of related record (categories,
    decisions, bans, people), whatever the chunk's size: never one per row."""
    for _ in range(6):
        build.incident()
    client = client_as("head")
    counts = {}
    for chunk_size in (2, 3, 6):
        monkeypatch.setattr("reports.exports.CHUNK_SIZE", chunk_size)
        monkeypatch.setattr("reports.exports.FIRST_CHUNK_SIZE", chunk_size)
        counts[chunk_size] = _count(client, "/reports/incidents.csv")
    # Three chunks, two, one (each followed by the query that finds no more).
    assert counts[2] - counts[3] == 5
    assert counts[3] - counts[6] == 5


def test_the_csv_chunks_neither_skip_nor_repeat_a_row(build, client_as, monkeypatch):
    """Cases logged at the same minute straddle a chunk boundary: each appears once, newest first."""
    from django.utils import timezone

    from incidents.models import Incident

    when = timezone.now().replace(second=0, microsecond=0)
    cases = [build.incident() for _ in range(7)]
    Incident.objects.filter(pk__in=[c.pk for c in cases[2:6]]).update(occurred_at=when)
    monkeypatch.setattr("reports.exports.FIRST_CHUNK_SIZE", 2)
    monkeypatch.setattr("reports.exports.CHUNK_SIZE", 3)
    response = client_as("head").get("/reports/incidents.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[1:]
    references = [line.split(",")[0] for line in lines]
    expected = list(Incident.objects.order_by("-occurred_at", "-pk").values_list("reference", flat=True))
    assert references == expected and len(set(references)) == 7
