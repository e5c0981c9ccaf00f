"""Staff accounts have a history like every other record: invited and deactivated by whom; logins add nothing."""

from django.contrib.auth import get_user_model
from django.test import Client

from conduct import services
from conduct.roles import Role


def test_an_invitation_and_a_deactivation_are_in_the_accounts_history(trust_admin, school):
    user = services.staff_invite(actor=trust_admin, name="Nia Newhead", email="nia@example.org",
                                 grants=[(Role.HEAD, school)])
    services.staff_deactivate(actor=trust_admin, user=user)
    rows = list(get_user_model().history.model.objects.filter(id=user.pk).order_by("history_date"))
    assert [(r.history_change_reason, r.history_user, r.is_active) for r in rows] == [
        ("Invited", trust_admin, True), ("Deactivated: left the school or trust", trust_admin, False)]
    assert not hasattr(rows[0], "password")  # the hash is never copied into the history


def test_logging_in_adds_no_history_row(personas):
    history = get_user_model().history.model.objects
    before = history.filter(id=personas["office"].pk).count()
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=personas["office"].pk).last_login is not None
    assert history.filter(id=personas["office"].pk).count() == before
