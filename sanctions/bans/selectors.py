"""Reads for bans and the ban register, scoped to what a user may see."""


from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conduct.permissions import readable_school_ids
from sanctions.models import IN_FORCE_STATUSES, BanStatus, Representation, SiteBan

AWAITING_DECISION = (BanStatus.INTENDED, BanStatus.PROVISIONAL)


def bans_for(user):
    """Bans of cases the user may read (the case's school, not the sites it covers)."""
    return SiteBan.objects.filter(incident__school_id__in=readable_school_ids(user))


def get_ban_for(user, pk) -> SiteBan:
    return get_object_or_404(bans_for(user).select_related("incident__school", "person", "consultation"), pk=pk)


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


def pairs_banned(pairs) -> set:
    """Of (person id, school id) pairs, those for which the school holds a ban on the person in force or starting
    (notice given, not yet withdrawn or ended): what incidents' cross-school check asks (incidents.crossschool).
    One query, bounded by the pairs asked about."""
    pairs = set(pairs)
    if not pairs:
        return set()
    rows = (SiteBan.objects
            .filter(person_id__in=sorted({p for p, _ in pairs}), incident__school_id__in=sorted({s for _, s in pairs}),
                    status__in=[BanStatus.INTENDED, *IN_FORCE_STATUSES], ends_on__gte=timezone.localdate())
            .values_list("person_id", "incident__school_id").distinct().order_by())
    return set(rows) & pairs


def people_banned_in_force(person_ids, school_ids=None) -> set:
    """Of `person_ids`, those with a ban in force today on a case at one of `school_ids` (every school when None):
    what the person picker shows (incidents.person_flags). One query, bounded by the ids asked about."""
    bans = bans_in_force().filter(person_id__in=list(person_ids))
    if school_ids is not None:
        bans = bans.filter(incident__school_id__in=list(school_ids))
    return set(bans.values_list("person_id", flat=True).distinct().order_by())
