"""The policy's breach categories, seeded by a data migration."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory
from incidents.services import incident_create

seed_migration = importlib.import_module("incidents.migrations.0002_seed_breach_categories")


@pytest.mark.django_db
def test_thirteen_categories_from_sections_2_and_3():
    categories = list(BreachCategory.objects.all())
    assert len(categories) == 13
    assert sum(c.policy_section == "2" for c in categories) == 11
    assert {c.code for c in categories if c.policy_section == "3"} == {"libellous-posts", "cyber-bullying"}
    for category in categories:
        assert category.name and category.policy_wording and category.active
        assert category.policy_section in ("2", "3")


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "words"), [
    ("dogs", "Dogs being brought on to school premises (other than guide dogs)."),
    ("aggression", "This includes physical punishment against your own child on school premises."),
    ("approaching-child", "Approaching someone else's child in order to discuss or chastise them"),
    ("smoking-drugs-alcohol", "(Alcohol may only be consumed during authorised events)"),
    ("libellous-posts", "reported to the appropriate 'report abuse' section of the network site"),
])
def test_the_wording_is_the_policys_own(code, words):
    assert words in BreachCategory.objects.get(code=code).policy_wording


@pytest.mark.django_db
def test_the_seed_runs_again_without_duplicates():
    seed_migration.seed(global_apps, None)
    assert BreachCategory.objects.count() == 13


def test_a_retired_category_stays_on_old_incidents_and_cannot_be_chosen(build, client_as, personas):
    incident = build.incident(categories=("dogs", "offensive-language"))
    dogs = BreachCategory.objects.get(code="dogs")
    dogs.active = False
    dogs.save()
    assert set(incident.categories.values_list("code", flat=True)) == {"dogs", "offensive-language"}
    assert "Dogs on the premises (retired)" in client_as("office").get(incident.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="retired"):
        incident_create(actor=personas["office"], school=build.school, occurred_at=timezone.now(),
                        location="premises", description="Again.", categories=[dogs],
                        subjects=[build.person()], reported_by="Gate")
    form = client_as("office").get(reverse("incidents:incident_new")).context["form"]
    assert dogs not in form.fields["categories"].queryset
    # Still usable to find old incidents.
    found = client_as("office").get(reverse("incidents:incident_list"), {"category": dogs.pk}).context["page"]
    assert [i.reference for i in found] == [incident.reference]
