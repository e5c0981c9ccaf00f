"""Accounts the trust set-up pages are for. Not personas: the shared persona
dict is asserted exactly by other tests, and the matrix's personas must all
be refused by these pages."""

import pytest
from django.contrib.auth import get_user_model

from conduct.models import StaffRole
from conduct.roles import Role
from tests.clients import Client
from tests.sso_provider import mock_provider

PASSWORD = "pw-for-tests-only"


@pytest.fixture
def trust_admin(personas):
    user = get_user_model().objects.create_user(
        username="trustadmin", password=PASSWORD, email="it@trust.example.org", first_name="Ivy", last_name="Admin")
    StaffRole.objects.create(user=user, role=Role.ADMIN, school=None)
    return user


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD, email="root@example.org")


@pytest.fixture
def admin_client(trust_admin):
    client = Client()
    client.force_login(trust_admin)
    return client


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def provider(settings, db):
    """The school's sign-in provider: a real OpenID Connect provider on loopback, configured (test_sso_*)."""
    with mock_provider() as mock:
        settings.CONDUCT_OIDC_PROVIDERS = [mock.entry()]
        yield mock
