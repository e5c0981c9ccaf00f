"""/favicon.ico: browsers ask for it on every page; it answers with the icon (no 404 in the log), to
anyone, before the login check, and every page links it."""

import pytest
from django.urls import reverse

ICO_HEADER = b"\x00\x00\x01\x00"  # an icon file: reserved 0, type 1 (icon)


@pytest.mark.parametrize("persona", ["anonymous", "office", "trust"])
def test_the_icon_answers_everyone(client_as, persona):
    response = client_as(persona).get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(
        ICO_HEADER)


@pytest.mark.parametrize("persona", ["anonymous", "head"])
def test_every_page_links_it(client_as, persona):
    url = reverse("login") if persona == "anonymous" else reverse("home")
    page = client_as(persona).get(url).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page


def test_only_the_files_in_public_are_served_from_the_root(client_as):
    # WhiteNoise answers for public/ alone: the code and settings beside it are not files of the site.
    for path in ("/settings.py", "/conduct/settings.py", "/manage.py", "/public/favicon.ico"):
        assert client_as("anonymous").get(path).status_code == 404, path
