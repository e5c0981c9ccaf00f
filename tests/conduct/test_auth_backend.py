"""conduct.auth_backend: each request reads the signed-in user and their roles in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.auth_backend import RolesModelBackend, roles_from_pairs
from conduct.models import StaffRole
from conduct.permissions import has_role, has_trust_role, readable_school_ids
from conduct.roles import Role


def test_the_user_comes_with_every_role_at_every_school(personas, school, other_school):
    senior = personas["senior"]
    StaffRole.objects.create(user=senior, role=Role.HEAD, school=other_school)
    StaffRole.objects.create(user=senior, role=Role.ADMIN, school=None)
    with CaptureQueriesContext(connection) as queries:
        user = RolesModelBackend().get_user(senior.pk)
        assert has_role(user, school, {Role.SENIOR}) and not has_role(user, school, {Role.HEAD})
        assert has_role(user, other_school, {Role.HEAD})
        assert has_trust_role(user, Role.ADMIN) and not has_trust_role(user, Role.DPO)
        assert readable_school_ids(user) == {school.pk, other_school.pk}
    assert len(queries) == 1
    assert user._conduct_roles == {school.pk: {"senior"}, other_school.pk: {"head"}, None: {"admin"}}


def test_someone_without_roles_has_none_and_an_inactive_account_is_signed_out(personas, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="pw-for-tests-only")
    assert RolesModelBackend().get_user(nobody.pk)._conduct_roles == {}
    assert RolesModelBackend().get_user(personas["inactive"].pk) is None
    assert RolesModelBackend().get_user(999999) is None


def test_an_id_no_user_can_have_is_nobody(personas):
    for user_id in ("abc", "", 2**40, 2**64, -(2**64), 0):
        assert RolesModelBackend().get_user(user_id) is None
    assert RolesModelBackend().get_user(str(personas["head"].pk)).username == "head"


def test_the_second_request_runs_the_same_query_with_another_user(personas):
    """The query is compiled once: a second user (and a second call) gets their own roles, not the first's."""
    backend = RolesModelBackend()
    assert backend.get_user(personas["head"].pk)._conduct_roles == {personas["head"].staff_roles.get().school_id:
                                                                   {"head"}}
    assert backend.get_user(personas["trust"].pk)._conduct_roles == {None: {"trust"}}
    assert backend.get_user(personas["head"].pk).username == "head"


def test_pages_read_no_roles_of_their_own_and_a_removed_role_counts_at_the_next_request(client_as, personas, build):
    incident = build.case()
    client = client_as("office")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(incident.get_absolute_url()).status_code == 200
    roles_read = [q["sql"] for q in queries.captured_queries if 'FROM "conduct_staffrole"' in q["sql"]]
    assert len(roles_read) == 1 and roles_read[0].startswith('SELECT "auth_user"."id"')
    StaffRole.objects.filter(user=personas["office"]).delete()
    assert client.get(incident.get_absolute_url()).status_code == 404


def test_pairs_are_read_back_exactly():
    assert roles_from_pairs(None) == {}
    assert roles_from_pairs("") == {}
    assert roles_from_pairs("3:head,3:senior,-:trust,12:office") == {3: {"head", "senior"}, None: {"trust"},
                                                                    12: {"office"}}
