"""Reads for letters, scoped to what a user may see."""

from django.shortcuts import get_object_or_404

from conduct.permissions import readable_school_ids
from sanctions.models import CaseAccount, Letter


def letters_for(user):
    """Letters of cases the user may read."""
    return Letter.objects.filter(incident__school_id__in=readable_school_ids(user))


def get_letter_for(user, pk) -> Letter:
    return get_object_or_404(
        letters_for(user).select_related("incident__school", "person", "ban", "review", "issued_by", "drafted_by"),
        pk=pk,
    )


def account_written_for_parent(incident) -> bool:
    """Whether the case's account for letters has been written for the parent (not the office's own words)."""
    return CaseAccount.objects.filter(incident=incident, for_parent=True).exists()
