"""Migration privacy 0003: earlier steps on a record get the record's school, else only the DPO sees them."""

import importlib

from django.apps import apps

from privacy import services
from privacy.models import ItemKind, PackItem, RequestEvent

migration = importlib.import_module("privacy.migrations.0003_event_school")


def test_earlier_steps_are_given_their_records_school_or_kept_for_the_dpo(family, make_request, dpo):
    request = make_request(dpo, school=False)
    services.request_gather(actor=dpo, request=request)
    evidence = PackItem.objects.get(request=request, kind=ItemKind.EVIDENCE)
    found = RequestEvent.objects.create(request=request, actor=dpo, kind="decision",
                                        summary=f"Reviewer: withhold “{evidence.title}”", note="Olive's car.")
    lost = RequestEvent.objects.create(request=request, actor=dpo, kind="redaction",
                                       summary="Kept redacted: the name of a witness in “A record gathered before”")
    migration.name_the_records_school(apps, None)
    found.refresh_from_db()
    lost.refresh_from_db()
    assert (found.school_id, found.trust_only) == (family.school.pk, False)
    assert (lost.school_id, lost.trust_only) == (None, True)
    assert not RequestEvent.objects.filter(kind="gathered", trust_only=True).exists()
