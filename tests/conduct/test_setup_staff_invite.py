"""Inviting a member of staff: an account with no password, roles at one or more
schools, and an email whose set-password link works once and for seven days."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conduct import services
from conduct.invitations import invitation_token_generator
from conduct.models import StaffRole
from conduct.roles import Role

URL = reverse("setup:staff_invite")
PASSWORD = "a-long-password-for-the-invited-2026"


@pytest.fixture
def invite(admin_client, django_capture_on_commit_callbacks):
    def run(**data):
        data = {"name": "Sam Senior", "email": "sam@example.org", "role": Role.SENIOR} | data
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(URL, data)

    return run


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/welcome/\S+/)", message.body).group(1)


def _accept(link, password=PASSWORD):
    client = Client()
    page = client.get(link, follow=True)
    if not page.context["validlink"]:
        return page
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_only_the_administrator_and_a_superuser_see_the_page(statuses, admin_client, superuser_client):
    found = statuses(URL)
    assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}
    assert admin_client.get(URL).status_code == 200
    assert superuser_client.get(URL).status_code == 200


def test_one_role_at_two_schools_one_email(invite, school, other_school, trust_admin, caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    response = invite(schools=[school.pk, other_school.pk])
    user = get_user_model().objects.get(email="sam@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("setup:staff_detail", args=[user.pk])
    assert (user.first_name, user.last_name, user.username) == ("Sam", "Senior", "sam@example.org")
    assert set(user.staff_roles.values_list("school__code", "role")) == {("one", "senior"), ("two", "senior")}
    for role in user.staff_roles.all():
        record = role.history.get()
        assert record.history_user == trust_admin and record.history_change_reason == "Invited"
    assert len(mail.outbox) == 1
    assert "Senior leader at School One" in mail.outbox[0].body and "Senior leader at School Two" in mail.outbox[0].body
    messages = [r.getMessage() for r in caplog.records]
    assert f"staff_invited user={trust_admin.pk} target=auth.User:{user.pk} " in messages
    assert sum(m.startswith("staff_role_granted") for m in messages) == 2


def test_a_trust_wide_role_takes_no_school(invite, school):
    assert invite(role=Role.TRUST, schools=[school.pk]).status_code == 200
    assert not get_user_model().objects.filter(email="sam@example.org").exists()
    assert invite(role=Role.DPO).status_code == 302
    assert StaffRole.objects.get(user__email="sam@example.org").school is None


def test_a_school_role_needs_a_school(invite):
    response = invite(role=Role.HEAD)
    assert response.status_code == 200 and "Choose the schools where they are Head" in response.content.decode()
    assert not get_user_model().objects.filter(email="sam@example.org").exists() and mail.outbox == []


def test_an_email_already_in_use_is_refused_whatever_its_case(invite, school):
    response = invite(email="OFFICE@example.org", schools=[school.pk])
    assert response.status_code == 200 and "already has an account" in response.content.decode()
    assert mail.outbox == []


def test_the_link_sets_the_password_once(invite, school):
    invite(schools=[school.pk])
    link = _link(mail.outbox[0])
    assert _accept(link).status_code == 302
    user = get_user_model().objects.get(email="sam@example.org")
    assert user.check_password(PASSWORD)
    again = _accept(link, password="another-long-password-99")
    assert "has been used or has expired" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_link_expires_after_seven_days(invite, school, monkeypatch):
    invite(schools=[school.pk])
    link = _link(mail.outbox[0])
    now = invitation_token_generator._now()
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: now + timedelta(days=6, hours=23))
    assert Client().get(link, follow=True).context["validlink"], "still good after two hours, unlike a reset link"
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: now + timedelta(days=7, minutes=1))
    assert not Client().get(link, follow=True).context["validlink"]


def test_a_reset_token_does_not_open_an_invitation_nor_the_other_way_round(invite, school):
    invite(schools=[school.pk])
    user = get_user_model().objects.get(email="sam@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_token = default_token_generator.make_token(user)
    welcome = reverse("invitation_accept", kwargs={"uidb64": uid, "token": reset_token})
    assert not Client().get(welcome, follow=True).context["validlink"]
    invitation = invitation_token_generator.make_token(user)
    reset = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": invitation})
    assert not Client().get(reset, follow=True).context["validlink"]


def test_deactivating_someone_kills_the_link_they_have_not_used(invite, school, trust_admin):
    invite(schools=[school.pk])
    user = get_user_model().objects.get(email="sam@example.org")
    services.staff_deactivate(actor=trust_admin, user=user)
    assert "has been used or has expired" in _accept(_link(mail.outbox[0])).content.decode()


def test_the_invitation_is_sent_again_with_a_fresh_link(invite, admin_client, school,
                                                        django_capture_on_commit_callbacks):
    invite(schools=[school.pk])
    user = get_user_model().objects.get(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("setup:staff_reinvite", args=[user.pk]))
    assert response.status_code == 302 and len(mail.outbox) == 2
    assert _accept(_link(mail.outbox[1])).status_code == 302
    # Once the password is set there is nothing to invite them to.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("setup:staff_reinvite", args=[user.pk]))
    assert len(mail.outbox) == 2


def test_a_refused_invitation_sends_nothing(trust_admin, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.staff_invite(actor=trust_admin, name="A B", email="ab@example.org",
                              grants=[(Role.HEAD, school), (Role.TRUST, school)])
    assert mail.outbox == [] and not get_user_model().objects.filter(email="ab@example.org").exists()


def test_nobody_else_may_invite(personas, school):
    for name in ("office", "senior", "head", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            services.staff_invite(actor=personas[name], name="A B", email="ab@example.org",
                                  grants=[(Role.OFFICE, school)])
    assert not get_user_model().objects.filter(email="ab@example.org").exists()


def test_the_invitation_page_is_open_and_says_when_a_link_is_no_good(db):
    response = Client().get(reverse("invitation_accept", kwargs={"uidb64": "MQ", "token": "set-password"}))
    assert response.status_code == 200
    assert "has been used or has expired" in response.content.decode()
