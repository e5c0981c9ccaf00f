"""The page benchmark's harness on seed_demo's data: it reaches every page it lists, as each role, and
records the run without losing the other database's section. Times are not asserted (DESIGN.md)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402
import results  # noqa: E402


def test_every_listed_page_answers_200_for_its_role(demo_data):
    measured, data = pages.run(requests=1)

    assert [r.page.name for r in measured[:1]] == ["Admin: incident changelist"]
    failures = [(r.page.name, r.page.role, sorted(r.statuses)) for r in measured if not r.ok_status]
    assert failures == []
    assert all(r.queries > 0 and r.size > 0 for r in measured)
    homes = {r.page.role for r in measured if r.page.name == "Home"}
    assert homes == set(pages.HOME_ROLES)
    case_pages = {r.page.role for r in measured if r.page.name.startswith("Case page")}
    assert case_pages == set(pages.CASE_ROLES)
    assert data["landmarks"] == "busiest at asp"


def test_a_page_answering_anything_but_200_is_a_missed_target():
    result = pages.Result(pages.Page("Case page", "office2", "/incidents/1/"), times_ms=[1.0], statuses={200, 404})

    pages.judge(result, admin_median=10.0)

    assert result.misses == ["HTTP 200,404"]
    assert pages.verdict(result).startswith("MISSED")


def test_a_run_replaces_its_own_section_and_keeps_the_others(tmp_path):
    path = tmp_path / "results.md"
    results.write_section("pages-postgresql", "## PostgreSQL\nold", path)
    results.write_section("load-postgresql", "## Load\nkept", path)
    results.write_section("pages-postgresql", "## PostgreSQL\nnew", path)
    results.write_section("pages-sqlite", "## SQLite\nfirst", path)

    text = path.read_text()
    assert "old" not in text
    assert text.index("## SQLite") < text.index("## PostgreSQL\nnew") < text.index("## Load\nkept")
