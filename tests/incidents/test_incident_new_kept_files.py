"""/incidents/new/: evidence files chosen on a form that comes back with an error are kept (issue 25).

Kept on the server for the user who chose them and the form's school, listed by name with a "Remove" box,
and attached when the incident is finally logged; nobody else can name them, and the upload checks and limits
hold as for any upload."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import BreachCategory, Evidence, Incident, StagedUpload

URL = reverse("incidents:incident_new")


def _data(school, person, **overrides):
    data = {
        "school": school.pk, "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "premises", "description": "Kicked the gate.", "subjects": [person.pk],
        "categories": [BreachCategory.objects.get(code="property-damage").pk], "reported_by": "The caretaker",
        "evidence_description": "The gate", "new-TOTAL_FORMS": "0", "new-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _photo(png_bytes, name="gate.png"):
    return SimpleUploadedFile(name, png_bytes, content_type="image/png")


def _kept_after_an_error(client, school, person, png_bytes, *names):
    response = client.post(URL, _data(school, person, description="", evidence=[_photo(png_bytes, n) for n in names]))
    assert response.status_code == 200 and not Incident.objects.exists()
    return response


def test_a_file_kept_on_an_error_is_attached_when_the_incident_is_logged(client_as, build, personas, school,
                                                                        png_bytes):
    person = build.person()
    client = client_as("office")
    response = _kept_after_an_error(client, school, person, png_bytes, "gate.png")
    kept = StagedUpload.objects.get()
    assert (kept.owner, kept.school, kept.original_name, kept.size) == (personas["office"], school, "gate.png",
                                                                        len(png_bytes))
    page = response.content.decode()
    assert "gate.png" in page and "Remove" in page
    # The evidence block is open, showing what it holds.
    assert '<details class="folded card card-body mb-3" open>' in page

    response = client.post(URL, _data(school, person, kept_files=[kept.pk]))
    incident = Incident.objects.get()
    assert response.status_code == 302
    evidence = incident.evidence.get()
    assert (evidence.original_name, evidence.description, evidence.uploaded_by) == ("gate.png", "The gate",
                                                                                    personas["office"])
    assert evidence.file.read() == png_bytes
    assert incident.events.filter(kind="evidence", summary="Evidence added: gate.png").exists()
    assert not StagedUpload.objects.exists()


def test_a_file_ticked_remove_is_not_attached_and_is_deleted(client_as, build, school, png_bytes,
                                                             django_capture_on_commit_callbacks):
    person = build.person()
    client = client_as("office")
    _kept_after_an_error(client, school, person, png_bytes, "keep.png", "drop.png")
    keep, drop = StagedUpload.objects.order_by("original_name").reverse()
    assert (keep.original_name, drop.original_name) == ("keep.png", "drop.png")
    stored = drop.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _data(school, person, kept_files=[keep.pk, drop.pk], remove_files=[drop.pk]))
    assert response.status_code == 302
    assert [e.original_name for e in Evidence.objects.all()] == ["keep.png"]
    assert not StagedUpload.objects.exists()
    # The removed file is gone from storage once the transaction commits.
    assert not os.path.exists(stored)


def test_removing_on_a_second_error_drops_the_file_and_keeps_the_rest(client_as, build, school, png_bytes):
    person = build.person()
    client = client_as("office")
    _kept_after_an_error(client, school, person, png_bytes, "a.png", "b.png")
    a, b = StagedUpload.objects.order_by("original_name")
    response = client.post(URL, _data(school, person, description="", kept_files=[a.pk, b.pk], remove_files=[a.pk],
                                      evidence=[_photo(png_bytes, "c.png")]))
    assert response.status_code == 200
    assert [k.original_name for k in response.context["kept_files"]] == ["b.png", "c.png"]
    assert sorted(StagedUpload.objects.values_list("original_name", flat=True)) == ["b.png", "c.png"]


def test_nobody_else_can_attach_or_remove_a_kept_file(client_as, build, school, png_bytes):
    person = build.person()
    _kept_after_an_error(client_as("office"), school, person, png_bytes, "mine.png")
    kept = StagedUpload.objects.get()
    # The deputy at the same school names the office's file: refused, and the file stays the office's.
    for field in ("kept_files", "remove_files"):
        response = client_as("senior").post(URL, _data(school, person, **{field: [kept.pk]}))
        assert response.status_code == 200
        assert response.context["form"].errors[field]
    assert not Incident.objects.exists() and StagedUpload.objects.get() == kept


def test_a_kept_file_is_for_the_school_it_was_chosen_for(client_as, build, school, other_school, png_bytes):
    person = build.person()
    _kept_after_an_error(client_as("office"), school, person, png_bytes, "gate.png")
    kept = StagedUpload.objects.get()
    # The service checks again what the form checks: another school's case never takes the file.
    with pytest.raises(Exception, match="another user or school"):
        services._staged_attach(actor=kept.owner, incident=build.case(school=other_school), staged=kept,
                                description="")


@pytest.mark.parametrize("persona", ["chair", "trust"])
def test_who_may_not_log_keeps_nothing(client_as, build, school, png_bytes, persona):
    person = build.person()
    response = client_as(persona).post(URL, _data(school, person, description="", evidence=[_photo(png_bytes)]))
    assert response.status_code == 403
    assert not StagedUpload.objects.exists()


def test_anonymous_keeps_nothing(client_as, build, school, png_bytes):
    person = build.person()
    response = client_as("anonymous").post(URL, _data(school, person, description="", evidence=[_photo(png_bytes)]))
    assert response.status_code == 302
    assert not StagedUpload.objects.exists()


def test_a_refused_file_is_not_kept_and_the_form_says_why(client_as, build, school):
    person = build.person()
    response = client_as("office").post(URL, _data(school, person, description="", evidence=[
        SimpleUploadedFile("innocent.png", b"<html><script>alert(1)</script></html>", content_type="image/png")]))
    assert "does not contain what its name says (.png)" in response.content.decode()
    assert not StagedUpload.objects.exists()


def test_past_the_limit_a_file_is_named_to_be_chosen_again(client_as, build, school, png_bytes, monkeypatch):
    monkeypatch.setattr("incidents.services.STAGED_MAX_FILES", 1)
    person = build.person()
    response = _kept_after_an_error(client_as("office"), school, person, png_bytes, "first.png", "second.png")
    assert [k.original_name for k in response.context["kept_files"]] == ["first.png"]
    assert "please choose them again: <strong>second.png</strong>" in response.content.decode()


def test_a_stale_or_forged_kept_file_is_a_form_error_not_a_500(client_as, build, school, png_bytes):
    person = build.person()
    client = client_as("office")
    _kept_after_an_error(client, school, person, png_bytes, "old.png")
    StagedUpload.objects.update(created_at=timezone.now() - timedelta(days=1))
    for value in [str(StagedUpload.objects.get().pk), "x", str(2**63), "-1"]:
        response = client.post(URL, _data(school, person, kept_files=[value]))
        assert response.status_code == 200
        assert response.context["form"].errors["kept_files"]
    response = client.post(URL, _data(school, person, kept_files=[str(i) for i in range(1, 50)]))
    assert response.status_code == 200 and "At most" in str(response.context["form"].errors["kept_files"])
    assert not Incident.objects.exists()
