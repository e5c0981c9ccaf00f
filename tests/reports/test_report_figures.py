"""The dashboard's numbers against the hand-built data set in conftest.py, whose answers are written out here."""

import pytest

from incidents.models import BreachCategory


def _figures(client_as, persona, **params):
    response = client_as(persona).get("/reports/", params)
    assert response.status_code == 200
    assert "figures" in response.context, response.context["form"].errors
    return response.context["figures"]


def _monthly(figures) -> dict:
    """{category code: [counts per month]} and the incidents per month."""
    by_code = {c["category"].code: c["counts"] for c in figures.monthly["categories"]}
    return by_code, [m["total"] for m in figures.months]


def _stages(figures) -> dict:
    return {s["stage"]: (s["count"], s["overdue"]) for s in figures.open_cases["stages"] if s["count"]}


def _actions(figures) -> dict:
    return {a["kind"]: a["count"] for a in figures.outcomes["actions"] if a["count"]}


def _medians(figures) -> dict:
    return {m["key"]: (m["days"], m["n"]) for m in figures.medians}


def test_head_sees_her_schools_numbers(dataset, client_as):
    figures = _figures(client_as, "head", **dataset.period)
    by_code, totals = _monthly(figures)
    zeros = [0] * 12
    assert by_code == {
        "offensive-language": zeros[:10] + [2, 0],  # A and B, last month
        "threatening": zeros[:9] + [1, 1, 0],  # C three months back, B last month
        "disruptive-behaviour": zeros[:9] + [1, 0, 0],  # G
        "aggression": [1] + zeros[:11],  # D, eleven months back
    }
    assert totals == [1] + [0] * 8 + [2, 2, 0]
    assert figures.period["incidents"] == 5  # A, B, C, D, G; not F (before the period) nor E (School Two)
    # Open today, whatever the period: F too. A is overdue.
    assert _stages(figures) == {"reported": (2, 1), "decided": (3, 0)}
    assert figures.open_cases["total"] == 5 and figures.open_cases["overdue"] == 1
    assert figures.outcomes["decided"] == 4
    assert _actions(figures) == {"warning": 2, "ban": 1, "nfa": 1}
    # Days to decision 2, 4, 6 and 9: the median of an even count is the mean of the middle two.
    assert _medians(figures) == {"decision": (5.0, 4), "signoff": (3.0, 1), "confirmation": (10.0, 1)}
    assert figures.bans == {"in_force": 1, "reviews_due": 1, "ending": 1, "awaiting": 0, "breaches": 0,
                            "soon": figures.bans["soon"]}
    assert figures.repeat["total"] == 1
    assert [(p["name"], p["count"]) for p in figures.repeat["named"]] == [("Pat One", 3)]
    assert figures.comparison == []  # one school: nothing to compare


def test_the_trust_sees_every_school_and_compares_them(dataset, client_as, school, other_school):
    figures = _figures(client_as, "trust", **dataset.period)
    assert figures.period["incidents"] == 6  # E at School Two as well
    by_code, totals = _monthly(figures)
    assert by_code["offensive-language"][10] == 3
    assert _stages(figures) == {"reported": (3, 1), "decided": (3, 0)}
    # Repeat subjects are counted for the trust, never named.
    assert figures.repeat["total"] == 1 and figures.repeat["named"] == []
    rows = {row["school"].name: row for row in figures.comparison}
    assert list(rows) == ["School One", "School Two"]
    one, two = rows["School One"], rows["School Two"]
    assert (one["incidents"], one["decided"], one["median"], one["open"], one["overdue"], one["in_force"],
            one["reviews_due"]) == (5, 4, 5.0, 5, 1, 1, 1)
    assert (two["incidents"], two["decided"], two["median"], two["open"], two["overdue"], two["in_force"]) == \
        (1, 0, None, 1, 0, 0)


def test_the_trust_filtered_to_one_school_sees_only_it(dataset, client_as, other_school):
    figures = _figures(client_as, "trust", school=other_school.pk, **dataset.period)
    assert figures.period["incidents"] == 1
    assert _stages(figures) == {"reported": (1, 0)}
    assert figures.outcomes["decided"] == 0 and figures.bans["in_force"] == 0
    assert [row["school"] for row in figures.comparison] == []


def test_a_category_narrows_every_figure(dataset, client_as):
    threatening = BreachCategory.objects.get(code="threatening")
    figures = _figures(client_as, "head", category=threatening.pk, **dataset.period)
    by_code, totals = _monthly(figures)
    assert by_code == {"threatening": [0] * 9 + [1, 1, 0]}
    assert figures.period["incidents"] == 2  # B and C
    assert _stages(figures) == {"decided": (1, 0)}  # B (C is closed)
    assert _actions(figures) == {"warning": 2}
    assert _medians(figures)["decision"] == (3.0, 2)
    assert figures.bans["in_force"] == 0
    assert figures.repeat["total"] == 0  # Pat One has only two threatening incidents


def test_a_shorter_period_counts_only_its_incidents(dataset, client_as):
    last_month = dataset.months[-2]
    figures = _figures(client_as, "head", **{"from": last_month.isoformat(), "to": dataset.today.isoformat()})
    assert figures.period["incidents"] == 2  # A and B
    assert _actions(figures) == {"warning": 1}
    assert _medians(figures)["decision"] == (2.0, 1)
    # The chart still shows the twelve months up to `to`, and the open cases are today's.
    assert _monthly(figures)[1] == [1] + [0] * 8 + [2, 2, 0]
    assert figures.open_cases["total"] == 5


def test_other_head_sees_only_her_own_school(dataset, client_as):
    figures = _figures(client_as, "other_head", **dataset.period)
    assert figures.period["incidents"] == 1
    assert _stages(figures) == {"reported": (1, 0)}
    assert figures.outcomes["decided"] == 0
    assert figures.bans["in_force"] == 0 and figures.repeat["total"] == 0


@pytest.mark.parametrize("persona", ["senior", "chair"])
def test_senior_leaders_and_the_chair_see_the_same_numbers_as_the_head(dataset, client_as, persona):
    head = _figures(client_as, "head", **dataset.period)
    other = _figures(client_as, persona, **dataset.period)
    assert other.period == head.period and other.open_cases == head.open_cases
    assert other.medians == head.medians and other.repeat == head.repeat
