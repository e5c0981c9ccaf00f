"""A refused or missing page is a page of the app, in its words: the refusal says who may; a record of another
school reads exactly like one that does not exist."""

import re

from django.urls import reverse


def _without_csrf_token(response) -> str:
    # The log-out form's token differs in every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_refusal_says_who_may_inside_the_app(build, client_as):
    person = build.person(name="Craig Hollis")
    response = client_as("office").get(reverse("incidents:person_merge", args=[person.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page and "may merge" in page
    assert "Log out" in page  # the app's navigation, not a bare error


def test_another_schools_record_reads_like_none_at_all(build, client_as, other_school):
    theirs = build.person(name="Craig Hollis", school=other_school)
    office = client_as("office")
    elsewhere = office.get(reverse("incidents:person_detail", args=[theirs.pk]))
    nowhere = office.get(reverse("incidents:person_detail", args=[theirs.pk + 1000]))
    assert elsewhere.status_code == nowhere.status_code == 404
    assert "<h1>Not found</h1>" in elsewhere.content.decode()
    assert _without_csrf_token(elsewhere) == _without_csrf_token(nowhere)
    assert "Craig Hollis" not in elsewhere.content.decode()
