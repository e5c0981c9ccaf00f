"""/privacy/requests/<pk>/pack.pdf and pack.zip: the released pack, exactly as released."""

import hashlib

import pytest

from privacy import services
from privacy.models import ItemKind, PackItem

from .conftest import EVERYONE
from .test_request_extend import HANDLERS


@pytest.fixture
def released(family, make_request, personas, dpo):
    """Pat's request to the second school, gathered and released by the DPO across both schools."""
    request = make_request(dpo, school=family.other_school)
    services.request_gather(actor=dpo, request=request)
    pupil = PackItem.objects.get(request=request, kind=ItemKind.STATEMENT, needs_head_decision=True)
    services.item_decide(actor=personas["head"], item=pupil, decision="withhold", reason="The child's account.")
    return services.request_release(actor=dpo, request=request)


@pytest.mark.parametrize("name", ["pack.pdf", "pack.zip"])
def test_the_dpo_takes_the_pack_and_head2_cannot_open_the_first_schools_part(released, statuses_of, name):
    url = f"/privacy/requests/{released.request_id}/{name}"
    # Both heads see part of the pack only: neither takes the whole away.
    assert statuses_of(url, EVERYONE) == {**HANDLERS, "head": 404, "dpo": 200}


def test_the_download_is_the_stored_pack(released, client_for):
    response = client_for("dpo").get(f"/privacy/requests/{released.request_id}/pack.zip")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == released.zip_sha256


def test_a_heads_own_pack(family, make_request, personas, statuses_of):
    head2 = personas["other_head"]
    request = make_request(head2, school=family.other_school)
    services.request_gather(actor=head2, request=request)
    services.request_release(actor=head2, request=request)
    seen = statuses_of(f"/privacy/requests/{request.pk}/pack.pdf", ["head", "other_head", "dpo"])
    assert seen == {"head": 404, "other_head": 200, "dpo": 200}
