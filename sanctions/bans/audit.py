"""The bans' invariants, registered with `manage.py conduct_audit` (sanctions.audit).

Each yields (case reference, problem) like the checks beside it.
"""

from django.db.models import Count, F

from conduct.models import StaffRole
from conduct.roles import Role
from incidents.models import CaseEvent
from sanctions.bans.selectors import bans_in_force
from sanctions.letters.audit import ISSUED_STATUSES
from sanctions.models import BanBreach, Letter, LetterKind, SiteBan


def check_bans_in_force_have_letters():
    """A ban in force was put in writing: a provisional ban or confirmation letter was issued."""
    # One query for the bans that have such a letter, rather than one per ban.
    in_writing = set(
        Letter.objects.filter(
            ban__in=bans_in_force(), status__in=ISSUED_STATUSES,
            kind__in=[LetterKind.PROVISIONAL_BAN, LetterKind.BAN_CONFIRMATION],
        ).values_list("ban_id", flat=True)
    )
    for ban in bans_in_force().select_related("incident", "person").iterator(chunk_size=2000):
        if ban.pk not in in_writing:
            yield ban.incident.reference, (
                f"the ban on {ban.person.full_name} is in force but no provisional ban or confirmation letter "
                "has been issued"
            )


def check_bans_signed_off():
    """Every ban rests on its own signed-off consultation, by the Chair of its school, on its case's proposal."""
    # Former Chairs count too: the history keeps roles since removed. One query each, not one per ban.
    chairs = set(StaffRole.history.filter(role=Role.CHAIR).values_list("user_id", "school_id").distinct())
    shared = set(SiteBan.objects.values("consultation_id").annotate(n=Count("pk")).filter(n__gt=1)
                 .values_list("consultation_id", flat=True))
    for ban in SiteBan.objects.select_related("incident", "consultation", "person").iterator(chunk_size=2000):
        consultation = ban.consultation
        whose = f"the ban on {ban.person.full_name}"
        if (not consultation.signed_off or consultation.incident_id != ban.incident_id
                or consultation.proposal_id is None):
            yield ban.incident.reference, f"{whose} has no signed-off Chair's consultation"
        elif (consultation.chair_id, ban.incident.school_id) not in chairs:
            yield ban.incident.reference, f"{whose} was signed off by someone who is not the school's Chair"
        if consultation.pk in shared:
            yield ban.incident.reference, f"{whose} shares its Chair's sign-off with another ban"


def check_bans_cover_their_own_site():
    """A ban covers only its own school's site: another school's register would list a ban its head cannot open."""
    stray = (SiteBan.sites.through.objects.exclude(school_id=F("siteban__incident__school_id"))
             .select_related("siteban__incident", "siteban__person", "school").order_by("siteban_id", "school__name"))
    for link in stray.iterator(chunk_size=2000):
        ban = link.siteban
        yield ban.incident.reference, (
            f"the ban on {ban.person.full_name} covers {link.school.name}'s site without that school"
        )


def check_breaches_link_both_cases():
    """A breach of a ban is on both cases' timelines (the case pages read breaches only for cases whose timeline
    shows one) and is a case at the ban's own school."""
    with_event = set(CaseEvent.objects.filter(kind="breach").values_list("incident_id", flat=True).distinct())
    breaches = BanBreach.objects.select_related("incident", "ban__incident", "ban__person")
    for breach in breaches.iterator(chunk_size=2000):
        ban_case, new_case = breach.ban.incident, breach.incident
        for case in (ban_case, new_case):
            if case.pk not in with_event:
                yield case.reference, (f"records a breach of a ban ({new_case.reference}) that its timeline "
                                       "does not show")
        if new_case.school_id != ban_case.school_id:
            yield new_case.reference, f"records a breach of a ban at another school ({ban_case.reference})"


CHECKS = [check_bans_in_force_have_letters, check_bans_signed_off,
          check_bans_cover_their_own_site, check_breaches_link_both_cases]
