"""/reports/: who gets it, what a school outside one's own yields, and what the page shows."""

import re

import pytest

from incidents.models import BreachCategory


def test_who_may_see_the_dashboard(statuses):
    assert statuses("/reports/") == {
        "office": 404, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 404, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def test_the_dashboard_is_read_only(statuses):
    result = statuses("/reports/", method="post", personas=["head", "trust", "office"])
    assert result == {"head": 405, "trust": 405, "office": 405}


def test_a_dpo_reads_every_schools_reports(client_as, personas, school, other_school):
    from conduct.models import StaffRole
    from conduct.roles import Role

    StaffRole.objects.filter(user=personas["trust"]).update(role=Role.DPO)
    response = client_as("trust").get("/reports/")
    assert response.status_code == 200
    assert [row["school"] for row in response.context["figures"].comparison] == [school, other_school]


def test_an_administrator_has_no_reports(client_as, personas):
    from conduct.models import StaffRole
    from conduct.roles import Role

    StaffRole.objects.filter(user=personas["trust"]).update(role=Role.ADMIN)
    assert client_as("trust").get("/reports/").status_code == 404


def test_office_staff_at_one_school_do_not_get_that_schools_numbers_from_a_head_role_elsewhere(
        dataset, client_as, personas, school, other_school):
    from conduct.models import StaffRole
    from conduct.permissions import forget_roles
    from conduct.roles import Role

    # other_head also works in the office of School One: her reports still count School Two only.
    StaffRole.objects.create(user=personas["other_head"], role=Role.OFFICE, school=school)
    forget_roles(personas["other_head"])
    client = client_as("other_head")
    response = client.get("/reports/", dataset.period)
    assert response.context["figures"].period["incidents"] == 1
    refused = client.get("/reports/", {"school": school.pk, **dataset.period})
    assert "figures" not in refused.context


def _numbers(html: str) -> str:
    main = html.split('<main', 1)[1]
    return re.sub(r"\s+", " ", main)


@pytest.mark.parametrize("field", ["school", "category-and-school"])
def test_head2_asking_for_the_first_school_gets_nothing_of_it(dataset, client_as, school, field):
    params = {"school": school.pk, **dataset.period}
    if field == "category-and-school":
        params["category"] = BreachCategory.objects.get(code="threatening").pk
    response = client_as("other_head").get("/reports/", params)
    assert response.status_code == 200
    assert "figures" not in response.context
    assert response.context["form"].errors["school"]
    page = _numbers(response.content.decode())
    assert "School One" not in page
    assert "At a glance" not in page and "<svg" not in page


def test_the_head_sees_charts_with_titles_tables_and_links(dataset, client_as, school):
    response = client_as("head").get("/reports/", dataset.period)
    html = response.content.decode()
    # Three charts, each an image with a title and a description, and no script on the page but the site's files.
    assert html.count('role="img" aria-labelledby=') == 3
    for chart in ("chart-monthly", "chart-stages", "chart-outcomes"):
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    assert "<script>" not in html and " style=" not in html
    assert "<caption>Incidents per month, by breach category</caption>" in html
    assert "<caption>Open cases by stage, and how many are overdue</caption>" in html
    # Every count links to the incident list showing exactly those cases.
    assert f"/incidents/?school={school.pk}" not in html  # one school: no school filter is needed
    assert "/incidents/?stage=reported" in html
    assert "/incidents/?overdue=1" in html
    assert f'/reports/board.pdf?from={dataset.period["from"]}&amp;to={dataset.period["to"]}' in html
    assert "Pat One" in html  # a repeat subject at her own school, named
    assert "Schools compared" not in html


def test_the_trust_sees_the_comparison_and_no_names(dataset, client_as):
    html = client_as("trust").get("/reports/", dataset.period).content.decode()
    assert "Schools compared" in html
    assert "School One" in html and "School Two" in html
    assert "Pat One" not in html
    assert "Names are shown only to the staff of the person's own school." in html
    assert "Choose one school for its board report" in html


def test_the_default_period_is_the_school_year_so_far(client_as, build):
    from django.utils import timezone

    from reports.forms import school_year_start

    figures = client_as("head").get("/reports/").context["figures"]
    today = timezone.localdate()
    assert figures.filters.date_from == school_year_start(today)
    assert figures.filters.date_to == today


def test_a_period_ending_before_it_starts_is_an_error(client_as):
    response = client_as("head").get("/reports/", {"from": "2026-05-01", "to": "2026-04-01"})
    assert "figures" not in response.context
    assert response.context["form"].errors["to"] == ["The end date is before the start date."]


def test_the_reports_link_is_in_the_navigation_only_for_those_who_may_see_reports(client_as):
    assert 'href="/reports/"' in client_as("head").get("/").content.decode()
    assert 'href="/reports/"' in client_as("trust").get("/").content.decode()
    assert 'href="/reports/"' not in client_as("office").get("/").content.decode()


def test_the_monthly_table_has_a_row_per_category_and_a_column_per_month(dataset, client_as, school):
    """Issue 25: twelve short month columns fit the page at 1280 px where twelve categories' names did not.
    Each month's incidents link to that month's list; the total counts incidents, not breaches."""
    response = client_as("head").get("/reports/", dataset.period)
    html = response.content.decode()
    table = html.split("<caption>Incidents per month, by breach category</caption>", 1)[1].split("</table>", 1)[0]
    head, body = table.split("</thead>", 1)
    assert head.count('<th scope="col"') == 14  # the category column, twelve months and the total
    assert "<abbr" in head and "Breach category" in head
    monthly = response.context["figures"].monthly
    for c in monthly["categories"]:
        assert f'<th scope="row">{c["category"].name}</th>' in body
    footer = body.split("<tfoot>", 1)[1]
    for month in monthly["rows"]:
        if month["total"]:
            assert f'<a href="{month["url"]}">{month["total"]}</a>'.replace("&", "&amp;") in footer
    assert f'<td class="text-end fw-semibold">{monthly["total"]}</td></tr></tfoot>' in body
