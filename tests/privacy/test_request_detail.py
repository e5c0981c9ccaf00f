"""/privacy/requests/<pk>/: the request, its deadline, its timeline and the next steps."""

from privacy import services

from .conftest import EVERYONE
from .test_request_extend import HANDLERS


def test_who_may_open_a_request(family, make_request, statuses_of):
    request = make_request()
    assert statuses_of(request.get_absolute_url(), EVERYONE) == HANDLERS


def test_a_trust_wide_request_shows_head2_only_their_part(family, make_request, dpo, client_for):
    request = make_request(dpo, school=family.other_school)
    services.request_gather(actor=dpo, request=request)
    page = client_for("other_head").get(request.get_absolute_url())
    assert page.context["hidden"] > 0 and page.context["visible"] < page.context["total"]
    assert "at schools you do not lead" in page.content.decode()
    assert not page.context["can_release"]
    assert client_for("dpo").get(request.get_absolute_url()).context["can_release"]


def test_the_timeline_lists_every_step(family, make_request, dpo, client_for):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    page = client_for("dpo").get(request.get_absolute_url()).content.decode()
    assert "Request received" in page and "Identity checked" in page and "Gathered" in page
