"""In Chromium: "Sign in with ..." on the login page, the provider's own login form (oidc-provider-mock
on loopback), and back to My work; an account the trust has not invited gets the refusal page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.sso_provider import mock_provider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(settings):
    with mock_provider() as mock:
        settings.CONDUCT_OIDC_PROVIDERS = [mock.entry(domains=("conduct.example.org",), name="Microsoft")]
        yield mock


def _sign_in_at_the_provider(page, email):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Microsoft").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()


def test_the_button_signs_an_invited_account_in_to_my_work(page, provider):
    provider.add_user("office@conduct.example.org", email_verified=True)
    _sign_in_at_the_provider(page, "office@conduct.example.org")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="My work")).to_have_attribute("aria-current", "page")


def test_an_account_not_invited_gets_the_refusal_page(page, provider):
    provider.add_user("stranger@conduct.example.org", email_verified=True)
    _sign_in_at_the_provider(page, "stranger@conduct.example.org")
    expect(page.get_by_role("heading", name="Could not sign you in")).to_be_visible()
    assert_accessible(page)
