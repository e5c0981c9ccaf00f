"""selectors.category_list: the case page's breaches, read with the case itself, in the categories' order."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import BreachCategory, Incident
from incidents.selectors import category_list, get_incident_for


def _breaches(page: str) -> list[str]:
    block = page.split(">Breaches</dt>", 1)[1].split("</dd>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", block)


def test_the_case_page_lists_its_breaches_in_order_with_retired_ones_marked(build, client_as):
    incident = build.incident(categories=("threatening", "offensive-language", "aggression"))
    BreachCategory.objects.filter(code="aggression").update(active=False)
    categories = incident.categories.order_by("order", "name")
    expected = [c.name if c.active else f"{c.name} (retired)" for c in categories]
    assert len(expected) == 3 and any("(retired)" in name for name in expected)
    assert _breaches(client_as("office").get(incident.get_absolute_url()).content.decode()) == expected


def test_read_with_the_case_they_cost_no_query_and_match_the_database(build, personas):
    incident = build.incident(categories=("threatening", "offensive-language"))
    fetched = get_incident_for(personas["office"], incident.pk, with_categories=True)
    with CaptureQueriesContext(connection) as queries:
        listed = category_list(fetched)
    assert len(queries) == 0
    assert listed == category_list(Incident.objects.get(pk=incident.pk))
    assert [row["name"] for row in listed] == list(incident.categories.order_by("order", "name")
                                                   .values_list("name", flat=True))
    assert all(row["active"] is True for row in listed)


def test_a_case_without_categories_has_an_empty_list(build, personas):
    incident = build.incident()
    incident.categories.clear()
    assert category_list(get_incident_for(personas["office"], incident.pk, with_categories=True)) == []
