"""Reads for bans and the ban register, scoped to what a user may see."""


from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids
from incidents.models import Person, PersonAlias
from incidents.search import contains_q
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


def register_bans():
    """Bans in force, each listed on its own school's register only.

    A register lists only what its school's head can open: a ban that also names another
    school's site (possible before a ban covered only its school's site) stays off that
    school's register, and conduct_audit reports it.
    """
    return bans_in_force().filter(sites=F("incident__school"))


def register_schools(user):
    return School.objects.filter(pk__in=readable_school_ids(user)).order_by("name")


def register_for(user, school_id=None, text=""):
    """[(school, [bans in force covering that school's site])] for each school the user works at; with
    `text`, only the bans of people whose name, or another name their school recorded, contains it.

    Staff see the register of every school they work at. Trust-wide readers see
    one school at a time (`school_id`, else the first): the register of every
    school of a large trust at once is a page that grows with the trust. Each
    ban carries `other_names`: what reception may hear the person called.
    """
    schools = list(register_schools(user))
    if is_trust_reader(user):
        schools = [s for s in schools if s.pk == school_id] or schools[:1]
    # What the register shows, and which of the user's sites each ban covers as plain pairs: a school
    # can have a hundred bans in force, and loading each one's case and sites as models cost more
    # than the queries.
    bans = register_bans().filter(incident__school__in=schools)
    if text.strip():
        by_alias = PersonAlias.objects.filter(contains_q("name", text.strip()), school__in=schools).values("person_id")
        bans = bans.filter(Q(person__in=Person.objects.filter(contains_q("full_name", text.strip())).values("pk"))
                           | Q(person__in=by_alias))
    bans = list(bans.select_related("person").only("starts_on", "ends_on", "person__full_name", "person__photo")
                .order_by("person__full_name", "pk"))
    covered = set(SiteBan.sites.through.objects.filter(siteban_id__in=[b.pk for b in bans], school__in=schools,
                                                       siteban__incident__school_id=F("school_id"))
                  .values_list("siteban_id", "school_id")) if bans else set()
    _attach_other_names(bans, schools)
    return [(school, [b for b in bans if (b.pk, school.pk) in covered]) for school in schools]


def _attach_other_names(bans, schools) -> None:
    names = {}
    if bans:
        for alias in PersonAlias.objects.filter(person__in={b.person_id for b in bans}, school__in=schools):
            names.setdefault(alias.person_id, []).append(alias.name)
    for ban in bans:
        ban.other_names = sorted(set(names.get(ban.person_id, [])))


def register_choices(user) -> list[tuple]:
    """For trust-wide readers: [(school, bans in force there)] for the register's school chooser, in one query."""
    if not is_trust_reader(user):
        return []
    counts = dict(register_bans().values("incident__school").annotate(n=Count("pk", distinct=True)).order_by()
                  .values_list("incident__school", "n"))
    return [(school, counts.get(school.pk, 0)) for school in register_schools(user)]


def get_register_ban_for(user, pk) -> SiteBan:
    """A ban on one of the user's registers (for its photo): in force and covering one of their sites."""
    return get_object_or_404(
        register_bans().filter(incident__school__in=register_schools(user)).select_related("person"), pk=pk
    )


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
