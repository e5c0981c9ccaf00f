"""/privacy/requests/<pk>/review/ and /privacy/records/<pk>/: each record with its redactions in place."""

import pytest

from privacy import services
from privacy.models import ItemKind, PackItem

from .conftest import EVERYONE
from .test_request_extend import HANDLERS


@pytest.fixture
def trust_wide(family, make_request, dpo):
    """Pat's request to the second school, gathered by the DPO across both schools."""
    request = make_request(dpo, school=family.other_school)
    services.request_gather(actor=dpo, request=request)
    return request


def test_who_may_review(trust_wide, statuses_of):
    seen = statuses_of(f"/privacy/requests/{trust_wide.pk}/review/", EVERYONE)
    # The first school's head reviews their school's part of the pack.
    assert seen == {**HANDLERS, "head": 200, "other_head": 200}


def test_names_are_marked_in_place(trust_wide, client_for):
    page = client_for("dpo").get(f"/privacy/requests/{trust_wide.pk}/review/?page=1").content.decode()
    assert 'title="redacted: other parent or visitor">Olive Other<sup>' in page
    assert "Release</button>" in page


def test_head2_sees_and_opens_only_the_second_schools_part(trust_wide, family, client_for):
    rows = client_for("other_head").get(f"/privacy/requests/{trust_wide.pk}/review/").context["rows"]
    assert {row["item"].school_id for row in rows} <= {None, family.other_school.pk}
    first_school = PackItem.objects.filter(request=trust_wide, school=family.school)
    assert first_school.exists()
    for item in first_school:
        assert client_for("other_head").get(f"/privacy/records/{item.pk}/").status_code == 404
        assert client_for("dpo").get(f"/privacy/records/{item.pk}/").status_code == 200
    assert client_for("head").get(f"/privacy/records/{first_school.first().pk}/").status_code == 200


def test_the_record_page_shows_the_decision_form_to_the_head_only(trust_wide, client_for):
    pupil = PackItem.objects.get(request=trust_wide, kind=ItemKind.STATEMENT, needs_head_decision=True)
    head_page = client_for("head").get(f"/privacy/records/{pupil.pk}/")
    assert head_page.context["row"]["may_decide"]
    assert not client_for("dpo").get(f"/privacy/records/{pupil.pk}/").context["row"]["may_decide"]


def test_the_preview_is_a_draft_of_what_the_user_may_see(trust_wide, client_for, family):
    from tests.sanctions.conftest import pdf_text

    response = client_for("other_head").get(f"/privacy/requests/{trust_wide.pk}/preview.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert family.other_case.reference in text and family.case.reference not in text
    assert family.case.reference in pdf_text(client_for("dpo").get(
        f"/privacy/requests/{trust_wide.pk}/preview.pdf").content)
