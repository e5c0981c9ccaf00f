"""The issue's "done when", through the pages only: a trust administrator sets up a
third school and invites its head; the head follows the email's link, sets a
password, logs in through the login form and sees an empty school."""

import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conduct.models import School, StaffRole
from conduct.roles import Role

HEAD_PASSWORD = "a-long-password-for-the-head-2026"


def school_data(trust, **overrides):
    return {
        "trust": trust.pk, "code": "asp", "name": "Ashby Primary", "address": "1 Church Lane\nAshby",
        "phone": "01000 123456", "email": "office@ashby.example.org", "head_name": "Hana Head",
        "head_title": "Head of School", "chair_name": "Colin Chair", "representation_days": "10",
        "max_ban_months": "12",
        "site_contact": "Call the deputy on 01000 123457", **overrides,
    }


def test_an_administrator_sets_up_a_school_and_its_head_starts_work(
        admin_client, trust_admin, trust, png_bytes, django_capture_on_commit_callbacks):
    home = admin_client.get(reverse("home"))
    assert f'href="{reverse("setup:index")}"' in home.content.decode()  # the home page and the menu

    logo = SimpleUploadedFile("crest.png", png_bytes, content_type="image/png")
    response = admin_client.post(reverse("setup:school_new"), school_data(trust, logo=logo))
    school = School.objects.get(code="asp")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('setup:staff_invite')}?school={school.pk}"
    assert School.objects.count() == 3
    assert school.chair_name == "Colin Chair" and school.representation_days == 10 and school.logo
    created = school.history.get()
    assert created.history_user == trust_admin and created.history_change_reason == "School set up"

    invite_page = admin_client.get(response["Location"])
    assert invite_page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("setup:staff_invite"), {
            "name": "Hana Head", "email": "Hana.Head@Ashby.example.org", "role": Role.HEAD, "schools": [school.pk]})
    assert response.status_code == 302
    role = StaffRole.objects.get(school=school)
    head = role.user
    assert role.role == Role.HEAD and head.username == "hana.head@ashby.example.org"
    assert not head.has_usable_password()
    assert role.history.get().history_user == trust_admin

    assert [m.to for m in mail.outbox] == [["hana.head@ashby.example.org"]]
    body = mail.outbox[0].body
    assert "Head at Ashby Primary" in body and "hana.head@ashby.example.org" in body
    link = re.search(r"https?://[^/\s]+(/accounts/welcome/\S+/)", body).group(1)

    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = browser.post(set_url, {"new_password1": HEAD_PASSWORD, "new_password2": HEAD_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Your password is set" in done.content.decode()

    logged_in = browser.post(reverse("login"), {"username": "hana.head@ashby.example.org",
                                                "password": HEAD_PASSWORD})
    assert logged_in.status_code == 302 and logged_in["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert home.context["sections"] and not any(section["items"] for section in home.context["sections"])
    assert "Nothing waiting" in home.content.decode()
    incidents = browser.get(reverse("incidents:incident_list"))
    assert incidents.status_code == 200
    assert "No incidents match." in incidents.content.decode()
    assert incidents.context["page"].paginator.count == 0
    # The head sets nothing up: the set-up pages do not exist for them.
    assert f'href="{reverse("setup:index")}"' not in home.content.decode()
    assert browser.get(reverse("setup:index")).status_code == 404

    # The link worked once.
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
