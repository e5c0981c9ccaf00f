"""The home page lists open subject access requests for the DPO and the head, overdue first."""

from datetime import timedelta

from django.utils import timezone

from privacy import services


def _section(client):
    sections = client.get("/").context["sections"]
    return next((s for s in sections if s["key"] == "subject_access"), None)


def test_the_dpo_and_the_head_see_open_requests_overdue_first(family, make_request, personas, client_for):
    today = timezone.localdate()
    fresh = make_request(requester_name="Fresh Fay")
    late = make_request(received_on=today - timedelta(days=45), requester_name="Late Larry")
    for persona in ("head", "dpo"):
        section = _section(client_for(persona))
        assert [item["title"] for item in section["items"]] == [late.reference, fresh.reference]
        assert section["items"][0]["overdue"] and not section["items"][1]["overdue"]
        assert section["total"] == 2
    assert "Overdue" in client_for("head").get("/").content.decode()


def test_nobody_else_has_the_section(family, make_request, client_for):
    make_request()
    for persona in ("office", "senior", "chair", "trust", "other_office"):
        assert _section(client_for(persona)) is None, persona
    assert _section(client_for("other_head"))["items"] == []


def test_an_answered_request_leaves_the_list(family, make_request, dpo, client_for):
    request = make_request(dpo, school=False, person=None)
    services.request_gather(actor=dpo, request=request)
    services.request_release(actor=dpo, request=request)
    assert _section(client_for("dpo"))["total"] == 0


def test_a_paused_request_says_what_it_waits_for_instead_of_counting_down(family, make_request, dpo, client_for):
    today = timezone.localdate()
    late = make_request(received_on=today - timedelta(days=45), requester_name="Late Larry")
    services.request_pause(actor=dpo, request=late, reason="identity", detail="Asked for ID.",
                           paused_from=late.deadline)
    for persona in ("head", "dpo"):
        item = _section(client_for(persona))["items"][0]
        assert item["title"] == late.reference and not item["overdue"]
        assert item["note"] == f"paused since {late.deadline:%-d %b %Y}, waiting for the requester's proof of identity"
    services.request_resume(actor=dpo, request=late, resumed_on=late.deadline)
    item = _section(client_for("dpo"))["items"][0]
    assert item["overdue"] and item["note"] == f"answer due {late.deadline:%-d %b %Y}"
