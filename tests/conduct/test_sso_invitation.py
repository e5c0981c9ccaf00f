"""An invitation accepted by signing in with the school's provider instead of choosing a password."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conduct import services
from conduct.invitations import invitation_token_generator
from conduct.roles import Role
from tests.sso_provider import sign_in


@pytest.fixture
def invited(trust_admin, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.staff_invite(actor=trust_admin, name="Sam Senior", email="sam@example.org",
                                     grants=[(Role.SENIOR, school)])
    return user, re.search(r"https?://[^/\s]+(/accounts/welcome/\S+/)", mail.outbox[0].body).group(1)


def test_the_invitation_page_offers_the_provider(provider, invited):
    _, link = invited
    html = Client().get(link, follow=True).content.decode()
    assert "Sign in with School account" in html and 'name="new_password1"' in html


def test_signing_in_with_the_provider_accepts_the_invitation(provider, invited, admin_client, caplog):
    user, link = invited
    provider.add_user("sam@example.org", email_verified=True)
    client = Client()
    assert sign_in(client, provider, "sam@example.org")["Location"] == "/"
    assert client.get("/").context["user"] == user
    user.refresh_from_db()
    assert user.history.first().history_change_reason == "Invitation accepted: signed in with School account"
    assert any(r.getMessage().startswith(f"invitation_accepted user={user.pk} ") for r in caplog.records)
    # The set-password link dies with the sign-in, and the staff list no longer says "Invited".
    assert not invitation_token_generator.check_token(user, link.rstrip("/").rsplit("/", 1)[1])
    staff = admin_client.get(reverse("setup:staff_detail", args=[user.pk])).content.decode()
    assert "Invited: no password yet" not in staff and ">Active<" in staff


def test_with_password_sign_in_off_the_invitation_offers_only_the_provider(provider, invited, settings):
    settings.CONDUCT_PASSWORD_SIGNIN = False
    _, link = invited
    html = Client().get(link, follow=True).content.decode()
    assert "Sign in with School account" in html and 'name="new_password1"' not in html
