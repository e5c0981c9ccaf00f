"""Read-only pages (lists, the case, a person, the register, letters, downloads) answer 405 to POST.

The permission matrix tries every URL with POST; this states the rule on the
pages a form-less page should refuse, as a user of the API would see it.
"""

import pytest


@pytest.mark.parametrize("url", ["/", "/incidents/", "/people/", "/bans/register/", "/bans/register/print/"])
def test_post_to_a_read_only_page_is_refused(client_as, url):
    response = client_as("head").post(url, {"anything": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_get_and_head_still_answer(client_as):
    client = client_as("head")
    assert client.get("/incidents/").status_code == 200
    assert client.head("/incidents/").status_code == 200
