"""incidents.services.staged_upload_purge and `manage.py purge_staged_uploads`: kept files nobody used are deleted
once stale, row and file; fresh ones stay (issue 25)."""

import os
from datetime import timedelta
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from incidents import services
from incidents.models import STAGED_LIFETIME, StagedUpload


def _keep(user, school, png_bytes, name):
    return services.staged_upload_create(actor=user, school=school, upload=SimpleUploadedFile(name, png_bytes))


def _age(staged, age):
    # Aged after all are kept: keeping a file clears its owner's stale ones first.
    StagedUpload.objects.filter(pk=staged.pk).update(created_at=timezone.now() - age)


def test_stale_files_go_and_fresh_ones_stay(personas, school, png_bytes, django_capture_on_commit_callbacks):
    old = _keep(personas["office"], school, png_bytes, "old.png")
    new = _keep(personas["office"], school, png_bytes, "new.png")
    _age(old, STAGED_LIFETIME + timedelta(minutes=1))
    _age(new, STAGED_LIFETIME - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.staged_upload_purge() == 1
    assert list(StagedUpload.objects.all()) == [new]
    assert not os.path.exists(old.file.path) and os.path.exists(new.file.path)


def test_one_owners_purge_leaves_the_others(personas, school, png_bytes):
    mine = _keep(personas["office"], school, png_bytes, "a.png")
    theirs = _keep(personas["senior"], school, png_bytes, "b.png")
    for staged in (mine, theirs):
        _age(staged, STAGED_LIFETIME + timedelta(hours=1))
    assert services.staged_upload_purge(owner=personas["office"]) == 1
    assert list(StagedUpload.objects.all()) == [theirs]


def test_the_command_deletes_every_stale_file(personas, school, png_bytes):
    stale = [_keep(personas["office"], school, png_bytes, f"{n}.png") for n in range(3)]
    fresh = _keep(personas["office"], school, png_bytes, "fresh.png")
    for staged in stale:
        _age(staged, STAGED_LIFETIME * 2)
    out = StringIO()
    call_command("purge_staged_uploads", stdout=out)
    assert "Deleted 3 stale kept files." in out.getvalue()
    assert list(StagedUpload.objects.all()) == [fresh]
