"""Page benchmark: median, p95 and query count of every page, in-process, on one database.

    .venv/bin/python bench/run.py [pages] [--generate N] [--requests 30] [--db PATH] [--no-fail] [--only TEXT]

The database is DATABASE_URL's (PostgreSQL or SQLite); without it, the SQLite
file bench/bench.sqlite3 (or --db). --generate N empties it and fills it first
with `generate_load_data --schools 20 --incidents N --seed 42 --force`.

Each page is opened as the named account (Django's test client, force_login):
one warm-up request, one counted with CaptureQueriesContext, then --requests
timed ones. Every answer must be a 200. Targets: median <= 50 ms, p95 <= 100 ms,
median <= the Django admin changelist's median measured in the same run.
Prints a table, writes bench/results.md (a section per database) and exits 1
if a target is missed (0 with --no-fail), 2 if the data is not there.
"""

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path(__file__).resolve().parent / "bench.sqlite3"

MEDIAN_TARGET_MS = 50.0
P95_TARGET_MS = 100.0
MIN_REQUESTS = 30

# Who opens what. Each role is listed only for pages it may open: anything but a 200 fails the run.
LIST_ROLES = ("office", "head", "trust")
CASE_ROLES = ("office", "deputy", "head", "chair", "trust")
PERSON_ROLES = ("office", "head", "trust")
PEOPLE_ROLES = ("office", "head", "trust")
HOME_ROLES = ("office", "deputy", "head", "chair", "office2", "head2", "trust", "dpo")
REGISTER_ROLES = ("office", "head", "trust")
REPORT_ROLES = ("head", "trust")
# Reports across the whole trust that a school's own staff never see (a 404 for them).
TRUST_ONLY_REPORTS = {"course_of_conduct"}
TRUST_REPORT_ROLES = ("trust",)
ADMIN_USER = "bench-admin"
# Searches: the frequent person's surname (one person's cases) and a name that matches many.
COMMON_NAME = "Smith"
# URL names in the reports namespace that are downloads, not pages (build_pages adds those itself).
NOT_PAGES = ("export", "csv", "pdf", "download", "print")
# A PDF document's budget per page, as bench/letters.py holds the letters to.
DOCUMENT_MS_PER_PDF_PAGE = 500.0
DOWNLOAD_ROLES = ("head", "trust")


@dataclass
class Page:
    name: str
    role: str
    url: str
    admin: bool = False
    # A rendered document (the board report): judged by the letters' budget per PDF page, not as a page.
    document: bool = False
    # A streamed download (the CSV): its answer is timed to the first incident's line, as a browser starts
    # saving it then; the time to the last byte is measured too and written beside the table.
    streamed: bool = False


@dataclass
class Result:
    page: Page
    times_ms: list = field(default_factory=list)
    statuses: set = field(default_factory=set)
    queries: int = 0
    size: int = 0
    misses: list = field(default_factory=list)
    pdf_pages: int = 0
    complete_ms: list = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else math.nan

    @property
    def p95(self) -> float:
        # Nearest rank: with 30 requests, the 29th fastest.
        if not self.times_ms:
            return math.nan
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def ok_status(self) -> bool:
        return self.statuses == {200}


def configure(database_url: str) -> None:
    """Django set up for the benchmark: bench/bench_settings.py (DEBUG off, as in production) on the given database."""
    sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DATABASE_URL"] = database_url
    # force_login cannot pass a second factor; the pages are the same either way.
    os.environ["CONDUCT_REQUIRE_2FA"] = "false"
    import django

    django.setup()


# Data -----------------------------------------------------------------------------------------


def generate(count: int, schools: int, people: int | None, sqlite_path: Path | None) -> None:
    from django.core.management import call_command
    from django.db import connection

    # generate_load_data writes into an empty database only: start from nothing.
    if sqlite_path is not None:
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        print(f"Emptying the database {connection.settings_dict['NAME']} (DROP SCHEMA public CASCADE)...",
              file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    print(f"Migrating and generating {count} incidents at {schools} schools...", file=sys.stderr)
    call_command("migrate", verbosity=0)
    # --force: these settings have DEBUG off, which the command takes for production.
    options = {"schools": schools, "incidents": count, "seed": 42, "force": True}
    if people:
        options["people"] = people
    started = time.perf_counter()
    call_command("generate_load_data", **options)
    print(f"Generated in {time.perf_counter() - started:.0f} s.", file=sys.stderr)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: the visibility map lets the counts answer from
        # their indexes alone. Measuring before it ran would time a state production leaves at once.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def check_migrations() -> None:
    """A database behind the code measures errors, not pages: say which migrations are missing."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5]) + (" ..." if len(plan) > 5 else "")
        raise LookupError(f"{len(plan)} migrations not applied ({names}): run manage.py migrate")


def landmarks() -> dict:
    """The case with the most events and the person with the most incidents, both at All Saints ("asp").

    generate_load_data builds them on purpose (conduct.generated.loadgen.landmarks()); on
    other data (seed_demo) the busiest ones at "asp" are looked up instead.
    """
    from django.db.models import Count

    from conduct.models import School
    from incidents.models import Incident, Person

    try:
        from conduct.generated.loadgen import landmarks as generated
    except ImportError:
        generated = None
    if generated is not None:
        try:
            marks = generated()
            if marks.get("busy_case") and marks.get("frequent_person"):
                return {**marks, "source": "generate_load_data"}
        except Exception as error:  # noqa: BLE001 - any failure falls back to the lookup below, and says so
            print(f"conduct.generated.loadgen.landmarks() failed ({error!r}); looking up the busiest instead.",
                  file=sys.stderr)
    school = School.objects.filter(code="asp").first()
    if school is None:
        raise LookupError('No school with code "asp": load seed_demo or generate_load_data data first.')
    busy = (Incident.objects.filter(school=school).annotate(n=Count("events")).order_by("-n", "pk").first())
    person = (Person.objects.filter(incident_links__incident__school=school)
              .annotate(n=Count("incident_links__incident", distinct=True)).order_by("-n", "pk").first())
    if busy is None or person is None:
        raise LookupError('No incident or person at "asp".')
    return {"busy_case": busy, "frequent_person": person, "source": "busiest at asp"}


def accounts(roles) -> dict:
    """The named accounts, plus the bench's superuser (and a dpo where seed_demo has none)."""
    from django.contrib.auth import get_user_model

    from conduct.models import StaffRole
    from conduct.roles import Role

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=roles)}
    if "dpo" in roles and "dpo" not in users:
        dpo = User.objects.create_user(username="dpo", first_name="Dana", last_name="Bench")
        StaffRole.objects.create(user=dpo, school=None, role=Role.DPO)
        users["dpo"] = dpo
        print("Created the account dpo (trust-wide data protection officer): the data had none.", file=sys.stderr)
    missing = sorted(set(roles) - set(users) - {ADMIN_USER})
    if missing:
        raise LookupError(f"Accounts missing: {', '.join(missing)}. Load seed_demo or generate_load_data data.")
    admin = User.objects.filter(username=ADMIN_USER).first()
    if admin is None:
        admin = User.objects.create_superuser(username=ADMIN_USER, email="bench-admin@localhost", password=None)
    users[ADMIN_USER] = admin
    return users


# Pages ----------------------------------------------------------------------------------------


def _url(name, *args, query=None) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def report_pages() -> list[tuple[str, str]]:
    """(name, url) of every page in the `reports` namespace that takes no argument, once that app exists."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    namespace = get_resolver().namespace_dict.get("reports")
    if namespace is None:
        return []
    found = []
    for key in namespace[1].reverse_dict:
        if not isinstance(key, str) or any(word in key for word in NOT_PAGES):
            continue
        try:
            found.append((key, reverse(f"reports:{key}")))
        except NoReverseMatch:
            continue
    return sorted(set(found))


BENCHMARKED_FILTERS = {"q", "school", "stage", "category", "date_from", "date_to", "overdue", "work", "person"}


def uncovered_filters() -> list[str]:
    """Filters the incident list's form offers that build_pages does not open: a failure, not a silent gap."""
    from incidents.forms import IncidentFilterForm

    return sorted(set(IncidentFilterForm.base_fields) - BENCHMARKED_FILTERS)


def build_pages(marks: dict, users: dict) -> list[Page]:
    from django.utils import timezone

    from conduct.models import School
    from incidents.forms import IncidentFilterForm
    from incidents.models import BreachCategory
    from incidents.workflow import Stage
    from incidents.worklists import sections

    case, person = marks["busy_case"], marks["frequent_person"]
    school = School.objects.get(code="asp")
    category = BreachCategory.objects.order_by("pk").first()
    surname = person.full_name.split()[-1]
    today = timezone.localdate()
    list_url = "incidents:incident_list"
    pages = [
        Page("Admin: incident changelist", ADMIN_USER, _url("admin:incidents_incident_changelist"), admin=True),
        Page("Admin: incident change page", ADMIN_USER, _url("admin:incidents_incident_change", case.pk),
             admin=True),
    ]
    for role in LIST_ROLES:
        variants = [
            ("first page", None),
            (f"search {surname!r}", {"q": surname}),
            (f"search {COMMON_NAME!r}", {"q": COMMON_NAME}),
            ("school filter", {"school": school.pk}),
            ("stage filter", {"stage": Stage.GATHERING.value}),
            ("category filter", {"category": category.pk}),
            ("last 90 days", {"date_from": (today - timedelta(days=90)).isoformat(), "date_to": today.isoformat()}),
            ("overdue", {"overdue": "1"}),
        ]
        if "person" in IncidentFilterForm.base_fields:
            variants.append(("person filter", {"person": person.pk}))
        # The home page's "see all" links: each work-list section this role has.
        variants += [(f"work={s.key}", {"work": s.key}) for s in sections() if s.applies_to(users[role])]
        variants.append(("page 200", {"page": 200}))
        pages += [Page(f"Incident list: {label}", role, _url(list_url, query=query)) for label, query in variants]
    events = case.events.count()
    pages += [Page(f"Case page ({events} events)", role, _url("incidents:incident_detail", case.pk))
              for role in CASE_ROLES]
    incidents = person.incident_links.values("incident").distinct().count()
    pages += [Page(f"Person page ({incidents} incidents)", role, _url("incidents:person_detail", person.pk))
              for role in PERSON_ROLES]
    for role in PEOPLE_ROLES:
        pages.append(Page("People list", role, _url("incidents:person_list")))
        pages += [Page(f"People list: search {term!r}", role, _url("incidents:person_list", query={"q": term}))
                  for term in (surname, COMMON_NAME)]
    # The incident form lists nobody until asked; its picker searches name, other names, email and phone.
    pages.append(Page("Incident form", "office", _url("incidents:incident_new")))
    pages += [Page(f"Person picker: search {term!r}", "office", _url("incidents:person_search", query={"q": term}))
              for term in (surname, COMMON_NAME)]
    pages += [Page("Home", role, _url("home")) for role in HOME_ROLES]
    pages += [Page("Ban register", role, _url("sanctions:ban_register")) for role in REGISTER_ROLES]
    pages += [Page("Ban register: print", role, _url("sanctions:ban_register_print")) for role in REGISTER_ROLES]
    pages += [Page(f"Ban register: check a visitor {term!r}", role, _url("sanctions:ban_check", query={"name": term}))
              for term in (surname, COMMON_NAME) for role in ("office", "trust")]
    pages += [Page("Ban register: block list CSV", role, _url("sanctions:ban_register_export"))
              for role in ("office", "head")]
    for name, url in report_pages():
        roles = TRUST_REPORT_ROLES if name in TRUST_ONLY_REPORTS else REPORT_ROLES
        pages += [Page(f"Reports: {name}", role, url) for role in roles]
    pages += download_pages(school, today)
    return pages


def download_pages(school, today) -> list[Page]:
    """The reports' downloads for one school's last twelve months: the CSV export (streamed, timed to its
    last byte) and the termly board report as PDF."""
    from django.urls import NoReverseMatch

    year_ago = (today - timedelta(days=365)).isoformat()
    try:
        csv_url = _url("reports:incidents_csv", query={"school": school.pk, "date_from": year_ago,
                                                       "date_to": today.isoformat()})
        pdf_url = _url("reports:board_pdf", query={"school": school.pk, "from": year_ago, "to": today.isoformat()})
    except NoReverseMatch:
        return []
    pages = [Page("Reports: CSV of one school's year (first line)", role, csv_url, streamed=True)
             for role in DOWNLOAD_ROLES]
    pages.append(Page("Reports: board report PDF, one school's year", "head", pdf_url, document=True))
    return pages


# Measuring ------------------------------------------------------------------------------------


def measure(client, page: Page, requests: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(page)
    response, _body = fetch(client, page.url)  # warm-up: template loading, first-use caches
    result.statuses.add(response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response, _body = fetch(client, page.url)
    result.statuses.add(response.status_code)
    result.queries = len(queries)
    for _ in range(requests):
        started = time.perf_counter()
        if page.streamed:
            response = client.get(page.url)
            chunks = iter(response.streaming_content)
            # The header line, then the first incident's.
            first = [next(chunks, b""), next(chunks, b"")]
            result.times_ms.append((time.perf_counter() - started) * 1000)
            body = b"".join([*first, *chunks])
            result.complete_ms.append((time.perf_counter() - started) * 1000)
        else:
            response, body = fetch(client, page.url)
            result.times_ms.append((time.perf_counter() - started) * 1000)
        result.statuses.add(response.status_code)
    result.size = len(body)
    if page.document:
        result.pdf_pages = pdf_page_count(body)
    return result


def pdf_page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def fetch(client, url):
    """(response, body); a streamed answer (the CSV) is read to its end, as a browser would."""
    response = client.get(url)
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, response.content


def judge(result: Result, admin_median: float) -> None:
    if not result.ok_status:
        result.misses.append("HTTP " + ",".join(str(s) for s in sorted(result.statuses)))
    if result.page.admin:
        return
    if result.page.document:
        budget = DOCUMENT_MS_PER_PDF_PAGE * max(result.pdf_pages, 1)
        if result.median > budget:
            result.misses.append(f"median > {budget:.0f} ms ({result.pdf_pages} PDF pages)")
        return
    if result.median > MEDIAN_TARGET_MS:
        result.misses.append(f"median > {MEDIAN_TARGET_MS:.0f} ms")
    if result.p95 > P95_TARGET_MS:
        result.misses.append(f"p95 > {P95_TARGET_MS:.0f} ms")
    if result.median > admin_median:
        result.misses.append("slower than admin")


def verdict(result: Result) -> str:
    if result.misses:
        return "MISSED: " + "; ".join(result.misses)
    return "reference" if result.page.admin else "ok"


def rows(results: list[Result], admin_median: float) -> list[list]:
    return [
        [r.page.name, r.page.role, f"{r.median:.1f}", f"{r.p95:.1f}", f"{r.median / admin_median:.2f}",
         r.queries, f"{r.size / 1024:.0f}", ",".join(str(s) for s in sorted(r.statuses)), verdict(r)]
        for r in results
    ]


HEADERS = ["Page", "As", "Median ms", "p95 ms", "x admin", "Queries", "KB", "Status", "Verdict"]


def print_table(table: list[list]) -> None:
    widths = [max(len(str(row[i])) for row in [HEADERS, *table]) for i in range(len(HEADERS))]
    right = {2, 3, 4, 5, 6}
    for row in [HEADERS, *table]:
        print("  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())


def run(requests: int, only: str = "", progress=None) -> tuple[list[Result], dict]:
    """Measure every page on the configured database; returns the results and the data's description."""
    from django.test import Client

    check_migrations()
    marks = landmarks()
    roles = {*LIST_ROLES, *CASE_ROLES, *PERSON_ROLES, *PEOPLE_ROLES, *HOME_ROLES, *REGISTER_ROLES, *REPORT_ROLES}
    users = accounts(roles)
    pages = build_pages(marks, users)
    if only:
        # The admin changelist stays: every ratio is to it.
        pages = [p for p in pages if only.lower() in f"{p.name} {p.role}".lower() or p is pages[0]]
    clients = {}
    results = []
    for page in pages:
        if page.role not in clients:
            clients[page.role] = Client()
            clients[page.role].force_login(users[page.role])
        result = measure(clients[page.role], page, requests)
        results.append(result)
        if progress:
            progress(result)
    admin_median = results[0].median
    for result in results:
        judge(result, admin_median)
    return results, {**describe_data(marks), "uncovered": uncovered_filters()}


def describe_data(marks: dict) -> dict:
    from conduct.models import School
    from incidents.models import CaseEvent, Incident, Person

    return {
        "incidents": Incident.objects.count(), "schools": School.objects.count(), "people": Person.objects.count(),
        "events": CaseEvent.objects.count(), "case": marks["busy_case"].reference,
        "person": marks["frequent_person"].full_name, "landmarks": marks["source"],
    }


def results_section(results: list[Result], data: dict, requests: int) -> tuple[str, str]:
    from django.db import connection
    from results import environment, markdown_table

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    admin_median = results[0].median
    missed = [r for r in results if r.misses]
    lines = [f"## Page benchmark: {vendor}", ""]
    lines += [f"- {label}: {value}" for label, value in environment(connection)]
    lines += [
        f"- Data: {data['incidents']:,} incidents at {data['schools']} schools, {data['people']:,} people, "
        f"{data['events']:,} case events; case page {data['case']}, person page {data['person']} "
        f"({data['landmarks']})",
        f"- Method: in-process (Django test client, bench/bench_settings.py, DEBUG off), one warm-up and "
        f"{requests} timed requests per page; queries counted on one request",
        f"- Admin changelist median: {admin_median:.1f} ms",
        f"- Targets: median <= {MEDIAN_TARGET_MS:.0f} ms, p95 <= {P95_TARGET_MS:.0f} ms, median <= the admin "
        f"changelist's, every answer 200; the board report PDF, a document, median <= "
        f"{DOCUMENT_MS_PER_PDF_PAGE:.0f} ms per PDF page (the letters' budget)",
        f"- Verdict: {'every target met' if not missed else f'{len(missed)} of {len(results)} pages missed a target'}"
        + (f"; filters not benchmarked: {', '.join(data['uncovered'])}" if data["uncovered"] else ""),
        "",
        markdown_table(HEADERS, rows(results, admin_median), align="llrrrrrll"),
    ]
    lines += download_notes(results)
    return f"pages-{vendor.lower()}", "\n".join(lines)


def download_notes(results: list[Result]) -> list[str]:
    notes = []
    for r in results:
        if r.page.streamed and r.complete_ms:
            ordered = sorted(r.complete_ms)
            p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
            notes.append(f"- {r.page.name.replace(' (first line)', '')} as {r.page.role}, the whole file: median "
                         f"{statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, {r.size / 1024:.0f} KB, streamed in "
                         f"chunks of rows (the query count is the whole file's)")
        if r.page.document:
            notes.append(f"- {r.page.name} as {r.page.role}: {r.pdf_pages} PDF pages")
    return ["", *notes] if notes else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, metavar="N", help="first (re)create the data, N incidents: a new "
                        "SQLite file, or on PostgreSQL DROP SCHEMA public CASCADE and migrate")
    parser.add_argument("--schools", type=int, default=20, help="schools for --generate (default 20)")
    parser.add_argument("--people", type=int, help="people for --generate (default: the generator's)")
    parser.add_argument("--requests", type=int, default=MIN_REQUESTS,
                        help=f"timed requests per page (default and minimum for a recorded run: {MIN_REQUESTS})")
    parser.add_argument("--db", type=Path, help=f"SQLite file when DATABASE_URL is not set (default {DEFAULT_DB})")
    parser.add_argument("--only", default="", help="only pages whose name or account contains this text")
    parser.add_argument("--results", type=Path, help="results file (default bench/results.md)")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a target is missed")
    args = parser.parse_args(argv)

    sqlite_path = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sqlite_path = (args.db or DEFAULT_DB).resolve()
        database_url = f"sqlite:///{sqlite_path}"
    elif args.db:
        parser.error("--db names a SQLite file; DATABASE_URL is set, so it would be ignored")
    configure(database_url)
    if args.generate:
        generate(args.generate, args.schools, args.people, sqlite_path)

    from django.db import connection
    from django.db.utils import DatabaseError
    from results import RESULTS, write_section

    try:
        results, data = run(args.requests, args.only, progress=lambda r: print(
            f"  {r.page.name} as {r.page.role}: median {r.median:.1f} ms, {r.queries} queries, "
            f"{','.join(map(str, sorted(r.statuses)))}", file=sys.stderr, flush=True))
    except (LookupError, DatabaseError) as error:
        print(f"Cannot benchmark {connection.settings_dict['NAME']}: {error}\n"
              f"Create it with: bench/run.py --generate 200000", file=sys.stderr)
        return 2
    admin_median = results[0].median
    print(f"\n{data['incidents']:,} incidents, {data['schools']} schools, {connection.vendor}; "
          f"{args.requests} requests per page; admin changelist median {admin_median:.1f} ms")
    print_table(rows(results, admin_median))
    for note in download_notes(results):
        print(note)
    missed = [r for r in results if r.misses]
    if data["uncovered"]:
        print(f"\nThe incident list offers filters this benchmark does not open: {', '.join(data['uncovered'])}. "
              "Add them to build_pages() in bench/pages.py.", file=sys.stderr)
    partial = bool(args.only) or args.requests < MIN_REQUESTS
    if not args.no_write and not partial:
        key, body = results_section(results, data, args.requests)
        print(f"\nWrote {write_section(key, body, args.results or RESULTS)}")
    elif not args.no_write:
        print(f"\nNot written to the results file: --only or fewer than {MIN_REQUESTS} requests.")
    if missed or data["uncovered"]:
        print(f"\n{len(missed)} of {len(results)} pages missed a target.", file=sys.stderr)
        return 0 if args.no_fail else 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
