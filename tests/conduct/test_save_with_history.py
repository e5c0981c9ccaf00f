"""save_with_history: full_clean before every save, without asking again whether a held record exists."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.history import save_with_history
from conduct.models import StaffRole
from conduct.roles import Role


def _key_lookups(queries, table):
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT 1 AS "a"') and f'FROM "{table}"' in q["sql"]]


def test_a_key_whose_record_is_on_the_instance_is_not_looked_up_again(personas, school):
    role = StaffRole(user=personas["office"], role=Role.SENIOR, school=school)
    with CaptureQueriesContext(connection) as queries:
        save_with_history(role, "Given a role", actor=personas["head"])
    assert _key_lookups(queries, "conduct_school") == [] and _key_lookups(queries, "auth_user") == []
    saved = role.history.get()
    assert (saved.history_user, saved.history_change_reason, saved.school_id) == (personas["head"], "Given a role",
                                                                                  school.pk)


def test_a_key_given_by_its_id_alone_is_still_looked_up(personas, school):
    role = StaffRole(user=personas["office"], role=Role.SENIOR, school_id=school.pk)
    with CaptureQueriesContext(connection) as queries:
        save_with_history(role)
    assert len(_key_lookups(queries, "conduct_school")) == 1


@pytest.mark.parametrize("change_after_fetching", [False, True])
def test_a_key_to_no_record_is_refused_by_name(personas, school, change_after_fetching):
    role = StaffRole(user=personas["office"], role=Role.SENIOR, school=school)
    role.school_id = 2**31 - 1  # a record that is not there, set after the school was held
    if not change_after_fetching:
        role = StaffRole(user=personas["office"], role=Role.SENIOR, school_id=2**31 - 1)
    with pytest.raises(ValidationError) as refused:
        save_with_history(role)
    assert list(refused.value.message_dict) == ["school"]
    assert not StaffRole.objects.filter(school_id=2**31 - 1).exists()


def test_every_check_still_runs_and_reports_together(personas, school):
    StaffRole.objects.create(user=personas["office"], role=Role.SENIOR, school=school)
    with pytest.raises(ValidationError) as refused:
        save_with_history(StaffRole(user=personas["office"], role=Role.SENIOR, school=school))
    assert "already exists" in str(refused.value)  # the unique constraint, with the keys held on the instance
    with pytest.raises(ValidationError) as refused:
        save_with_history(StaffRole(user=personas["office"], role=Role.TRUST, school=school))
    assert list(refused.value.message_dict) == [NON_FIELD_ERRORS]  # the check constraint
    with pytest.raises(ValidationError) as refused:
        save_with_history(StaffRole(user=personas["office"], role="x" * 11, school=school))
    # A field that failed is left out of the constraints, as Model.full_clean leaves it.
    assert list(refused.value.message_dict) == ["role"]
