"""The data protection officer persona, and builders for people with records at both schools."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conduct.models import StaffRole
from conduct.roles import Role


@pytest.fixture
def dpo(db):
    user = get_user_model().objects.create_user(username="dpo", first_name="Dana", last_name="Protection",
                                                email="dpo@example.org")
    StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    return user


@pytest.fixture
def dpo_client(dpo):
    client = Client()
    client.force_login(dpo)
    return client


@pytest.fixture
def client_for(client_as, dpo_client):
    """client_as with the dpo persona too."""
    def make(name):
        return dpo_client if name == "dpo" else client_as(name)
    return make


@pytest.fixture
def statuses_of(client_for):
    """{persona: status} for one request as each persona; "login" for the redirect to the login page."""
    def run(url, personas, method="get", data=None):
        seen = {}
        for name in personas:
            response = getattr(client_for(name), method)(url, data or {})
            if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
                seen[name] = "login"
            else:
                seen[name] = response.status_code
        return seen
    return run


EVERYONE = ["office", "senior", "head", "chair", "trust", "dpo", "other_office", "other_head", "inactive",
            "anonymous"]
