"""The Notifications page (/accounts/notifications/): every signed-in member of staff chooses their own way of
hearing about cases; the anonymous and the deactivated are sent to log in; nobody can set another's."""

import pytest
from django.test import Client
from django.urls import reverse

from conduct.models import NotificationFrequency, NotificationPreference

URL = "/accounts/notifications/"
STAFF = ["office", "senior", "head", "chair", "trust", "other_office", "other_head"]


def test_the_url_is_the_accounts_page():
    assert reverse("notification_settings") == URL


@pytest.mark.parametrize("persona", STAFF)
def test_every_member_of_staff_sees_their_choice_defaulting_to_each_time(client_as, persona):
    response = client_as(persona).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="immediate"' in html and 'value="daily"' in html
    assert response.context["form"].initial == {"frequency": NotificationFrequency.IMMEDIATE}


@pytest.mark.parametrize("persona", STAFF)
def test_every_member_of_staff_sets_their_own(client_as, personas, persona):
    response = client_as(persona).post(URL, {"frequency": "daily"})
    assert response.status_code == 302 and response["Location"] == URL
    assert list(NotificationPreference.objects.values_list("user", "frequency")) == [
        (personas[persona].pk, NotificationFrequency.DAILY)]
    assert client_as(persona).get(URL).context["form"].initial == {"frequency": NotificationFrequency.DAILY}


@pytest.mark.parametrize("persona", ["anonymous", "inactive"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_anonymous_and_the_deactivated_are_sent_to_log_in(client_as, persona, method):
    response = getattr(client_as(persona), method)(URL, {"frequency": "daily"} if method == "post" else {})
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={URL}"
    assert not NotificationPreference.objects.exists()


def test_nobody_can_set_another_users_choice(client_as, personas):
    # The page has no user field: one sent anyway is ignored and only the sender's own choice changes.
    response = client_as("office").post(URL, {"frequency": "daily", "user": personas["head"].pk,
                                              "user_id": personas["head"].pk})
    assert response.status_code == 302
    assert list(NotificationPreference.objects.values_list("user", flat=True)) == [personas["office"].pk]


@pytest.mark.parametrize("data", [{}, {"frequency": "weekly"}, {"frequency": "DAILY"},
                                  {"frequency": "\x00"}])
def test_a_bad_choice_shows_the_form_again_and_saves_nothing(client_as, data):
    response = client_as("head").post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not NotificationPreference.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["head"])
    assert client.post(URL, {"frequency": "daily"}).status_code == 403
    assert not NotificationPreference.objects.exists()


def test_other_methods_are_refused(client_as):
    assert client_as("head").put(URL).status_code == 405


def test_the_user_menu_links_to_it(client_as):
    assert f'href="{URL}"' in client_as("office").get("/").content.decode()
