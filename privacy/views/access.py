"""The DPO's export of the access log for one person: every view of them and of their cases."""

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from conduct.audit import audit_log
from conduct.csv_safe import csv_lines
from incidents.models import Incident
from incidents.selectors import get_person_for
from privacy.selectors import access_entries_for_person, is_dpo


@require_safe
def access_export(request, pk):
    person = get_person_for(request.user, pk)
    if not is_dpo(request.user):
        raise PermissionDenied("Only the data protection officer exports the access log.")
    entries, incident_ids = access_entries_for_person(person)
    references = dict(Incident.objects.filter(pk__in=incident_ids).values_list("pk", "reference"))
    audit_log(request.user, "access_log_export", person)

    def rows():
        yield ["When", "Who", "Username", "What", "Record id", "Case", "About the person"]
        for entry in entries.select_related("user").iterator(chunk_size=2000):
            yield [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.get_full_name(), entry.user.username, entry.get_kind_display(), entry.object_id,
                references.get(entry.incident_id, ""), "yes" if entry.person_id == person.pk else "",
            ]

    # Staff names come from the trust's staff file: a name may look like a formula.
    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-person-{person.pk}.csv"'
    return response
