"""Reads for complaints, scoped to the schools the user may read."""

from django.shortcuts import get_object_or_404

from conduct.permissions import readable_school_ids
from sanctions.models import Complaint


def complaints_for(user):
    return Complaint.objects.filter(incident__school_id__in=readable_school_ids(user))


def get_complaint_for(user, pk) -> Complaint:
    return get_object_or_404(
        complaints_for(user).select_related("incident__school__trust", "complainant", "decision", "ban"), pk=pk)


def complaints_of_case(incident) -> list:
    return list(incident.complaints.select_related("complainant", "decision", "ban").order_by("received_on", "pk"))
