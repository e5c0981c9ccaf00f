"""Reads for letters, bans and the ban register, scoped to what a user may see."""


from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conduct.models import School
from conduct.permissions import readable_school_ids
from sanctions.models import IN_FORCE_STATUSES, BanStatus, Letter, Representation, SiteBan

AWAITING_DECISION = (BanStatus.INTENDED, BanStatus.PROVISIONAL)


def bans_for(user):
    """Bans of cases the user may read (the case's school, not the sites it covers)."""
    return SiteBan.objects.filter(incident__school_id__in=readable_school_ids(user))


def get_ban_for(user, pk) -> SiteBan:
    return get_object_or_404(bans_for(user).select_related("incident__school", "person", "consultation"), pk=pk)


def get_letter_for(user, pk) -> Letter:
    return get_object_or_404(
        Letter.objects.filter(incident__school_id__in=readable_school_ids(user))
        .select_related("incident__school", "person", "ban", "review", "issued_by", "drafted_by"),
        pk=pk,
    )


def get_representation_for(user, pk) -> Representation:
    return get_object_or_404(
        Representation.objects.filter(ban__incident__school_id__in=readable_school_ids(user))
        .select_related("ban__incident"),
        pk=pk,
    )


def in_force_q(today=None):
    today = today or timezone.localdate()
    return Q(status__in=IN_FORCE_STATUSES, starts_on__lte=today, ends_on__gte=today)


def bans_in_force():
    return SiteBan.objects.filter(in_force_q())


def register_schools(user):
    return School.objects.filter(pk__in=readable_school_ids(user)).order_by("name")


def register_for(user):
    """[(school, [bans in force covering that school's site])] for each school the user works at."""
    rows = []
    bans = list(
        bans_in_force().filter(sites__in=register_schools(user)).distinct()
        .select_related("person", "incident__school").prefetch_related("sites")
        .order_by("person__full_name", "pk")
    )
    for school in register_schools(user):
        rows.append((school, [b for b in bans if any(s.pk == school.pk for s in b.sites.all())]))
    return rows


def get_register_ban_for(user, pk) -> SiteBan:
    """A ban on one of the user's registers (for its photo): in force and covering one of their sites."""
    return get_object_or_404(
        bans_in_force().filter(sites__in=register_schools(user)).distinct().select_related("person"), pk=pk
    )
