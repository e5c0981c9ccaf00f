"""/privacy/requests/new/: find the person, then record how and when the request came."""

from django.utils import timezone

from privacy.models import SubjectAccessRequest

from .conftest import EVERYONE


def test_who_may_record_a_request(statuses_of, db, personas):
    assert statuses_of("/privacy/requests/new/", EVERYONE) == {
        "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403, "dpo": 200,
        "other_office": 403, "other_head": 200, "inactive": "login", "anonymous": "login",
    }


def test_the_search_finds_people_the_user_may_see(family, client_for):
    assert [p.full_name for p in client_for("head").get("/privacy/requests/new/?q=Parent").context["results"]] == [
        "Pat Parent"]
    # Pat has a case at the second school too, so its head finds her; Olive has none there.
    assert [p.full_name for p in client_for("other_head").get("/privacy/requests/new/?q=Ot").context["results"]] == []


def test_a_person_at_a_school_the_user_cannot_read_is_a_404(family, client_for):
    assert client_for("other_head").get(f"/privacy/requests/new/?person={family.olive.pk}").status_code == 404
    response = client_for("other_head").post("/privacy/requests/new/", {"person": family.olive.pk})
    assert response.status_code == 404
    assert not SubjectAccessRequest.objects.exists()


def test_the_request_is_recorded_with_its_due_date(family, client_for, personas):
    today = timezone.localdate()
    response = client_for("head").post("/privacy/requests/new/", {
        "person": family.pat.pk, "school": family.school.pk, "requester_name": "Pat Parent",
        "reply_to": "pat@example.com", "received_on": today.isoformat(), "channel": "email",
        "identity_method": "known", "identity_notes": ""})
    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.person, request.school, request.created_by) == (family.pat, family.school, personas["head"])
    assert request.due_on > today and request.deadline == request.due_on
    assert [e.kind for e in request.events.all()] == ["received", "identity"]


def test_a_head_records_requests_at_their_own_school_only(family, client_for):
    response = client_for("head").post("/privacy/requests/new/", {
        "person": family.pat.pk, "school": family.other_school.pk, "requester_name": "Pat Parent",
        "reply_to": "x", "received_on": timezone.localdate().isoformat(), "channel": "email"})
    assert response.status_code == 200  # the other school is not one of the choices
    assert not SubjectAccessRequest.objects.exists()


def test_the_dpo_records_a_request_for_someone_not_held(db, personas, client_for):
    response = client_for("dpo").post("/privacy/requests/new/", {
        "nobody": "1", "school": "", "requester_name": "Norah Nobody", "reply_to": "norah@example.com",
        "received_on": timezone.localdate().isoformat(), "channel": "letter"})
    assert response.status_code == 302
    request = SubjectAccessRequest.objects.get()
    assert request.person is None and request.school is None


def test_a_future_date_is_refused(family, client_for):
    response = client_for("dpo").post("/privacy/requests/new/", {
        "nobody": "1", "requester_name": "Norah", "reply_to": "x", "channel": "letter",
        "received_on": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()})
    assert response.status_code == 200 and "future" in response.content.decode()
