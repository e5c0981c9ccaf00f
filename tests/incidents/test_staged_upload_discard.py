"""incidents.services.staged_upload_discard: the user ticked "Remove" beside a kept file: it goes, row and file,
and only its owner may do that (issue 25)."""

import os

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.models import StagedUpload


@pytest.fixture
def staged(personas, school, png_bytes):
    return services.staged_upload_create(actor=personas["office"], school=school,
                                         upload=SimpleUploadedFile("gate.png", png_bytes))


def test_the_owner_discards_a_kept_file(personas, staged, django_capture_on_commit_callbacks):
    path = staged.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.staged_upload_discard(actor=personas["office"], staged=staged)
    assert not StagedUpload.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize("persona", ["senior", "head", "other_office"])
def test_nobody_else_discards_it(personas, staged, persona):
    with pytest.raises(PermissionDenied):
        services.staged_upload_discard(actor=personas[persona], staged=staged)
    assert StagedUpload.objects.get() == staged and os.path.exists(staged.file.path)
