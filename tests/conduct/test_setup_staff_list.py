"""The staff list: every account with its roles, searchable, paginated, constant queries."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.models import StaffRole
from conduct.roles import Role

URL = reverse("setup:staff_list")


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, admin_client, superuser_client):
    found = statuses(URL)
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(URL).status_code == 200
    assert superuser_client.get(URL).status_code == 200


def test_every_account_with_its_roles_and_state(admin_client, personas):
    page = admin_client.get(URL).content.decode()
    assert "Head (one)" in page and "Trust (read-only, all schools) (all schools)" in page
    assert "Deactivated" in page
    assert admin_client.get(URL, {"school": personas["other_head"].staff_roles.get().school_id}).context[
        "page"].paginator.count == 2


def test_search_by_name_or_email(admin_client, personas):
    assert [u.username for u in admin_client.get(URL, {"q": "senior@"}).context["page"]] == ["senior"]
    assert [u.username for u in admin_client.get(URL, {"q": "Chair"}).context["page"]] == ["chair"]


def _add_staff(school, count, start):
    for n in range(start, start + count):
        user = get_user_model().objects.create_user(username=f"staff{n}", email=f"s{n}@example.org")
        StaffRole.objects.create(user=user, role=Role.OFFICE, school=school)
        StaffRole.objects.create(user=user, role=Role.SENIOR, school=school)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_make_the_same_queries_however_many_staff(admin_client, personas, school):
    _add_staff(school, 5, 0)
    admin_client.get(URL)  # the session's first write (the idle timeout) is not the page's
    small = _queries(admin_client, URL), _queries(admin_client, reverse("setup:index"))
    _add_staff(school, 40, 5)
    assert (_queries(admin_client, URL), _queries(admin_client, reverse("setup:index"))) == small


def test_the_menu_and_home_link_to_set_up_for_administrators_only(admin_client, superuser_client, client_as):
    link = f'href="{reverse("setup:index")}"'
    assert link in admin_client.get(reverse("incidents:incident_list")).content.decode()
    assert link in superuser_client.get(reverse("home")).content.decode()
    for name in ("office", "senior", "head", "chair", "trust"):
        assert link not in client_as(name).get(reverse("home")).content.decode(), name


def test_an_administrator_with_no_other_role_sees_set_up_not_a_missing_role(admin_client):
    page = admin_client.get(reverse("home")).content.decode()
    assert "Set up schools and staff" in page and "You have no role at any school yet" not in page
