"""Gathering: every record about the person, at the schools the gatherer handles."""

import pytest
from django.core.exceptions import PermissionDenied

from privacy import services
from privacy.models import ItemKind, PackItem, Redaction, RequestStatus


def _kinds(request):
    return sorted(PackItem.objects.filter(request=request).values_list("kind", flat=True))


def test_the_dpo_gathers_everything_at_both_schools(family, make_request, dpo, client_for):
    client_for("head").get(family.case.get_absolute_url())  # a view for the access log
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    items = PackItem.objects.filter(request=request)
    assert {i.school_id for i in items} == {None, family.school.pk, family.other_school.pk}
    kinds = _kinds(request)
    for kind in (ItemKind.PERSON, ItemKind.PERSON_HISTORY, ItemKind.INCIDENT, ItemKind.STATEMENT,
                 ItemKind.CONVERSATION, ItemKind.PROPOSAL, ItemKind.DECISION, ItemKind.LETTER, ItemKind.EVIDENCE,
                 ItemKind.ACCESS_LOG):
        assert kind in kinds, kind
    assert kinds.count(ItemKind.INCIDENT) == 2
    letter = items.get(kind=ItemKind.LETTER)
    assert bytes(letter.letter_pdf) == bytes(family.letter.pdf) and letter.letter_sha256 == family.letter.sha256
    pupil = [i for i in items if i.kind == ItemKind.STATEMENT and ["Given by", "Tom Other"] in i.fields]
    assert len(pupil) == 1 and pupil[0].needs_head_decision


def test_third_parties_are_marked_for_redaction_and_the_family_is_not(family, make_request, dpo):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    incident = PackItem.objects.get(request=request, kind=ItemKind.INCIDENT, school=family.school)
    terms = dict(Redaction.objects.filter(item=incident).values_list("term", "category"))
    assert terms["Olive Other"] == "other_person"
    assert terms["Wendy Witness"] == "witness"
    assert terms["Tom Other"] == "pupil"
    assert terms["Mrs Teach"] == "staff"
    assert "Pat Parent" not in terms and "Sam Parent" not in terms
    assert all(term.lower() not in ("pat", "sam", "parent") for term in terms)


def test_a_head_gathers_their_own_school_only(family, make_request, personas):
    head2 = personas["other_head"]
    request = make_request(head2, school=family.other_school)
    services.request_gather(actor=head2, request=request)
    schools = set(PackItem.objects.filter(request=request).values_list("school_id", flat=True))
    assert schools == {None, family.other_school.pk}
    assert not PackItem.objects.filter(request=request, kind=ItemKind.LETTER).exists()


def test_nobody_held_is_answered_nothing_held(family, make_request, dpo):
    request = make_request(dpo, school=False, person=None, requester_name="Norah Nobody")
    services.request_gather(actor=dpo, request=request)
    assert not PackItem.objects.filter(request=request).exists()
    assert request.events.last().summary == "Searched: Conduct holds nothing about this person"


def test_gathering_again_replaces_what_was_gathered(family, make_request, dpo):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    first = PackItem.objects.filter(request=request).count()
    services.request_gather(actor=dpo, request=request)
    assert PackItem.objects.filter(request=request).count() == first


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_head"])
def test_others_may_not_gather(family, make_request, personas, persona):
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.request_gather(actor=personas[persona], request=request)


def test_gathering_costs_the_same_queries_for_one_case_or_three(family, make_request, dpo, build):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)  # so each measured run also replaces a gathering
    with CaptureQueriesContext(connection) as small:
        services.request_gather(actor=dpo, request=request)
    for _ in range(2):
        build.case(person=family.pat, stage="decided")
    with CaptureQueriesContext(connection) as large:
        services.request_gather(actor=dpo, request=request)
    assert len(large) == len(small)


def test_a_name_holding_the_childs_name_is_still_another_persons(family, dpo, personas):
    """"Joann Leeds" holds "Ann Lee" as letters, not as a name: she is another pupil."""
    from datetime import timedelta

    from django.utils import timezone

    from incidents import services as incident_services
    from incidents.models import BreachCategory, Location, Relationship

    office = personas["office"]
    lena = incident_services.person_create(
        actor=office, school=family.school, full_name="Lena Lee", relationship=Relationship.PARENT,
        pupils=[{"name": "Ann Lee"}])
    incident_services.incident_create(
        actor=office, school=family.school, occurred_at=timezone.now() - timedelta(days=3),
        location=Location.PREMISES, description="Lena Lee shouted at Joann Leeds.",
        categories=BreachCategory.objects.filter(code="offensive-language"), subjects=[lena],
        pupils_affected="Joann Leeds, Ann Lee", reported_by="Mrs Teach")
    request = services.request_create(actor=dpo, school=None, person=lena, requester_name="Lena Lee",
                                      reply_to="x", received_on=timezone.localdate(), channel="email")
    services.request_gather(actor=dpo, request=request)
    incident = PackItem.objects.get(request=request, kind=ItemKind.INCIDENT)
    terms = dict(Redaction.objects.filter(item=incident).values_list("term", "category"))
    assert terms.get("Joann Leeds") == "pupil"
    assert "Ann Lee" not in terms and "Lena Lee" not in terms
