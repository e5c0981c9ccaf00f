"""Reception's view of the bans on a school's site: who is banned today, who from soon, who may return.

The register, the name check at reception and the visitor system's block list read the same window of
bans, each listed on its own school's register only (a ban that also names another school's site, possible
before a ban covered only its school's site, stays off that school's register and conduct_audit reports it).
Every read is a fixed number of queries, bounded by the bans in the window at the user's schools, never by
the trust's cases.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conduct.models import School
from conduct.permissions import is_trust_reader, readable_school_ids, school_ids_with_role
from conduct.roles import Role
from incidents.matching import names_alike, normalise_name
from incidents.models import Person, PersonAlias
from incidents.search import contains_q
from sanctions.bans.selectors import in_force_q
from sanctions.models import IN_FORCE_STATUSES, BanStatus, SiteBan

# Reception is briefed on a ban this many days before it starts, and told for this long after it ends.
SOON_DAYS = 14
RETURN_DAYS = 30
# Who may export the block list for the visitor sign-in system.
EXPORTERS = frozenset({Role.OFFICE, Role.HEAD})


@dataclass
class SiteRegister:
    """One school's register: bans in force today, starting soon, and ended or lifted lately."""

    school: School
    today: list = field(default_factory=list)
    soon: list = field(default_factory=list)
    ended: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.today or self.soon or self.ended)


def register_bans():
    """Bans in force today, each on its own school's register only."""
    return SiteBan.objects.filter(in_force_q(), sites=F("incident__school"))


def window_q(today: date) -> Q:
    """Bans in force today, confirmed to start within SOON_DAYS, or stopped within the last RETURN_DAYS."""
    soon = Q(status__in=IN_FORCE_STATUSES, starts_on__gt=today, starts_on__lte=today + timedelta(days=SOON_DAYS))
    ran_out = Q(status__in=[*IN_FORCE_STATUSES, BanStatus.ENDED],
                ends_on__lt=today, ends_on__gte=today - timedelta(days=RETURN_DAYS))
    stopped = Q(status__in=[BanStatus.LIFTED, BanStatus.WITHDRAWN],
                lifted_on__lte=today, lifted_on__gte=today - timedelta(days=RETURN_DAYS))
    return in_force_q(today) | soon | ran_out | stopped


def may_return_from(ban) -> date:
    return ban.lifted_on if ban.status in (BanStatus.LIFTED, BanStatus.WITHDRAWN) else ban.ends_on + timedelta(days=1)


def what_to_do(school) -> str:
    """What reception does when a banned person arrives, and whom it calls."""
    call = school.site_contact.strip() or f"Call the Head of School, {school.head_name}, on {school.phone}."
    police = "" if "999" in call else " If anyone is at risk, call the police on 999."
    return f"Do not confront them and do not let them in. {call}{police}"


def register_schools(user):
    return School.objects.filter(pk__in=readable_school_ids(user)).order_by("name")


def _schools_shown(user, school_id):
    """Staff see the register of every school they work at; trust-wide readers one school at a time
    (`school_id`, else the first): every school's register at once is a page that grows with the trust."""
    schools = list(register_schools(user))
    if is_trust_reader(user):
        schools = [s for s in schools if s.pk == school_id] or schools[:1]
    return schools


def _named(bans, text: str, schools):
    """Bans of people whose name, or another name the register's schools recorded, contains `text`."""
    by_alias = PersonAlias.objects.filter(contains_q("name", text), school__in=schools).values("person_id")
    by_name = Person.objects.filter(contains_q("full_name", text)).values("pk")
    return bans.filter(Q(person__in=by_name) | Q(person__in=by_alias))


def _window_bans(schools, today, text=""):
    """The window's bans on the schools' own registers, as light models (a school can have a hundred)."""
    bans = SiteBan.objects.filter(window_q(today), incident__school__in=schools, sites=F("incident__school"))
    if text:
        bans = _named(bans, text, schools)
    return list(bans.select_related("person", "incident__school")
                .only("status", "starts_on", "ends_on", "lifted_on", "incident__school", "person__full_name",
                      "person__photo", "person__email", "person__phone", "incident__school__name")
                .order_by("person__full_name", "pk"))


def _attach_sites_and_names(bans, schools) -> None:
    """Each ban's `site_names` (every site it covers) and `other_names` (what the schools recorded the person
    also being called): two queries for all the bans."""
    sites, names = {}, {}
    if bans:
        rows = (SiteBan.sites.through.objects.filter(siteban_id__in=[b.pk for b in bans])
                .values_list("siteban_id", "school__name").order_by("school__name"))
        for ban_id, name in rows:
            sites.setdefault(ban_id, []).append(name)
        for alias in PersonAlias.objects.filter(person__in={b.person_id for b in bans}, school__in=schools):
            names.setdefault(alias.person_id, set()).add(alias.name)
    for ban in bans:
        ban.site_names = sites.get(ban.pk, [])
        ban.other_names = sorted(names.get(ban.person_id, ()))


def _classify(register: SiteRegister, bans, today) -> SiteRegister:
    for ban in bans:
        if ban.starts_on > today:
            register.soon.append(ban)
        elif ban.status in IN_FORCE_STATUSES and ban.ends_on >= today:
            register.today.append(ban)
        else:
            ban.may_return_from = may_return_from(ban)
            register.ended.append(ban)
    # Banned again (today or soon) is not "may return".
    banned = {b.person_id for b in (*register.today, *register.soon)}
    register.ended = [b for b in register.ended if b.person_id not in banned]
    register.soon.sort(key=lambda b: (b.starts_on, b.person.full_name, b.pk))
    register.ended.sort(key=lambda b: (-b.may_return_from.toordinal(), b.person.full_name, b.pk))
    return register


def register_for(user, school_id=None, text="") -> list[SiteRegister]:
    """The register of each school the user works at (trust-wide readers: one), narrowed to `text` if given."""
    schools = _schools_shown(user, school_id)
    today = timezone.localdate()
    bans = _window_bans(schools, today, text.strip()) if schools else []
    _attach_sites_and_names(bans, schools)
    return [_classify(SiteRegister(school), [b for b in bans if b.incident.school_id == school.pk], today)
            for school in schools]


def register_choices(user) -> list[tuple]:
    """For trust-wide readers: [(school, bans in force there)] for the register's school chooser, in one query."""
    if not is_trust_reader(user):
        return []
    counts = dict(register_bans().values("incident__school").annotate(n=Count("pk", distinct=True)).order_by()
                  .values_list("incident__school", "n"))
    return [(school, counts.get(school.pk, 0)) for school in register_schools(user)]


def get_register_ban_for(user, pk) -> SiteBan:
    """A ban in force today on one of the user's registers: one a breach can be reported against."""
    bans = register_bans().filter(incident__school__in=register_schools(user))
    return get_object_or_404(bans.select_related("person", "incident__school"), pk=pk)


# The name check at reception --------------------------------------------------------------------

CHECK_MIN = 2


@dataclass
class CheckResult:
    ban: SiteBan
    as_name: str  # the name or other name that matched


def _name_matches(typed: str, name: str) -> bool:
    """Typed text matches a name when it is part of it, or each typed word is like a word of the name
    ("Jayson Reed" finds "Jason Reid"; "reid" finds "Jason Reid")."""
    typed_n, name_n = normalise_name(typed), normalise_name(name)
    if not typed_n or not name_n:
        return False
    if typed_n in name_n or names_alike(typed_n, name_n):
        return True
    words = name_n.split()
    return all(any(_word_alike(t, w) for w in words) for t in typed_n.split())


def _word_alike(typed: str, word: str) -> bool:
    """One typed word against one word of a name: its start ("jas"), a short form sharing the first three
    letters ("Jase" for "Jason"), or a letter wrong, added or dropped ("Reed" for "Reid")."""
    if len(typed) < 3:
        return word.startswith(typed)
    if word.startswith(typed) or names_alike(typed, word):
        return True
    return len(typed) >= 4 and len(word) >= 4 and (typed[:3] == word[:3] or _one_edit(typed, word))


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one letter changed, added or dropped ("Reed"/"Reid", "Hollis"/"Holis")."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _banned_now_or_soon(ban, today) -> bool:
    return ban.starts_on > today or (ban.status in IN_FORCE_STATUSES and ban.ends_on >= today)


def check_visitor(user, school_id, typed: str) -> tuple[list[School], list[CheckResult]]:
    """(schools checked, matches): people banned today or from soon on the user's register(s) whose name or
    other name is like `typed`.

    The bans in the window at a school are few (a hundred at most at the largest), so every one is compared
    here, in Python, with a tolerance for spelling that a substring index cannot give.
    """
    schools = _schools_shown(user, school_id)
    today = timezone.localdate()
    if len(typed.strip()) < CHECK_MIN or not schools:
        return schools, []
    bans = [b for b in _window_bans(schools, today) if _banned_now_or_soon(b, today)]
    _attach_sites_and_names(bans, schools)
    results = []
    for ban in bans:
        matched = next((name for name in (ban.person.full_name, *ban.other_names) if _name_matches(typed, name)), None)
        if matched is not None:
            results.append(CheckResult(ban=ban, as_name=matched))
    return schools, results


# The block list for the visitor sign-in system ---------------------------------------------------

BLOCK_REASON = "Site ban: contact the school office"


def block_list(user) -> tuple[list[School], list[SiteBan]]:
    """(schools, bans) for the visitor system: people banned today or from within SOON_DAYS at the schools
    where the user is office or head."""
    schools = list(School.objects.filter(pk__in=school_ids_with_role(user, EXPORTERS)).order_by("name"))
    today = timezone.localdate()
    bans = [b for b in (_window_bans(schools, today) if schools else []) if _banned_now_or_soon(b, today)]
    _attach_sites_and_names(bans, schools)
    return schools, bans
