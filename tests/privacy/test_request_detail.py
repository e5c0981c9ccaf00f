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


def _decided_at_the_first_school(family, make_request, dpo):
    """A trust-wide request in which the DPO decides about the first school's records, with reasons."""
    from privacy.models import ItemKind, PackItem, Redaction

    request = make_request(dpo, school=False, notes="Pat also wrote to School One's office about Wendy.")
    services.request_gather(actor=dpo, request=request)
    evidence = PackItem.objects.get(request=request, kind=ItemKind.EVIDENCE)
    services.item_decide(actor=dpo, item=evidence, decision="withhold", reason="The photo shows Olive's car.")
    redaction = Redaction.objects.filter(item__request=request, item__school=family.school,
                                         term="Wendy Witness").first()
    services.redaction_decide(actor=dpo, redaction=redaction, decision="keep", reason="Wendy refused consent.")
    return request


def test_head2_sees_no_reference_or_reason_about_the_first_schools_records(family, make_request, dpo,
                                                                           client_for):
    request = _decided_at_the_first_school(family, make_request, dpo)
    page = client_for("other_head").get(request.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for secret in (family.case.reference, "Olive", "Wendy", "gate.png"):
        assert secret not in html, secret
    assert html.count("a record at another school") == 2


def test_the_dpo_and_the_first_schools_head_see_the_decisions_in_full(family, make_request, dpo, client_for):
    request = _decided_at_the_first_school(family, make_request, dpo)
    for persona in ("dpo", "head"):
        html = client_for(persona).get(request.get_absolute_url()).content.decode()
        assert family.case.reference in html and "The photo shows Olive" in html, persona
        assert "Wendy refused consent." in html, persona
    assert "Pat also wrote to School One" in client_for("dpo").get(request.get_absolute_url()).content.decode()


def test_a_step_from_before_events_named_a_school_is_the_dpos_alone(family, make_request, dpo, client_for):
    from privacy.models import RequestEvent

    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    RequestEvent.objects.create(request=request, actor=dpo, kind="decision", trust_only=True,
                                summary=f"Reviewer: withhold “Evidence file in {family.case.reference}”",
                                note="Olive's car.")
    for persona in ("head", "other_head"):
        html = client_for(persona).get(request.get_absolute_url()).content.decode()
        assert "Olive" not in html and "A step on a record at another school" in html, persona
    assert "Olive's car." in client_for("dpo").get(request.get_absolute_url()).content.decode().replace("&#x27;", "'")
