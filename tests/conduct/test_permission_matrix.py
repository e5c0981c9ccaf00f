"""Every URL of the app, as every persona, for records of their own school and of
another school, with GET and POST: the exact answer is in one table.

The URL list is read from the resolver, so a new URL without a row in
EXPECTATIONS (and an object factory in OBJECTS when it takes arguments) fails
here with its name. Removing a permission check from a view turns an expected
403 or 404 into a 200 or 302, which fails here too.

Reading the table: each URL name maps to {"GET": ..., "POST": ...}, each a
string of five statuses for the roles in ROLES order (office, senior, head,
chair, trust) looking at a record of *their own* school (trust: any school).
The data protection officer (dpo) reads every school as trust does, so its
status is trust's unless the row names its own with `dpo="GET POST"`.
The rest follows from rules that hold for every URL:

- anonymous: 302 to the login page, whatever the method;
- a deactivated user: the same 302 (their session no longer authenticates);
- a record of another school: 404 (never 403, which would confirm it exists),
  except where the method itself is refused (405), which says nothing about
  the record;
- other_office and other_head at their own school answer as office and head.

POSTs send the data in POST_DATA when a view only checks the role inside the
service (incident_advance); otherwise an empty form, which an allowed user gets
back with errors (200) and a refused user never sees (403).
"""

import importlib
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from incidents import services as incident_services
from incidents.workflow import Stage
from tests.clients import Client

ROLES = ("office", "senior", "head", "chair", "trust")

# URLs the matrix does not visit, each with the reason and where it is covered.
SKIPPED_PREFIXES = {
    "admin": "the Django admin: superusers only, at settings.ADMIN_URL; covered in test_security_headers.py",
    "accounts": "the login, logout, password, two-factor and notification views are public or act on the user's "
                "own account, not on a school's records; covered in test_authentication.py, "
                "test_authentication_2fa.py, test_auth_views.py and test_notification_settings.py (every persona)",
}


def _row(statuses: str) -> dict:
    values = statuses.split()
    assert len(values) == len(ROLES), statuses
    return dict(zip(ROLES, (int(v) for v in values), strict=True))


def E(get: str, post: str, dpo: str | None = None) -> dict:  # noqa: N802 - reads as a table
    row = {"GET": _row(get), "POST": _row(post)}
    if dpo is not None:
        row["GET"]["dpo"], row["POST"]["dpo"] = (int(v) for v in dpo.split())
    return row


#                                   office senior head chair trust
# Read-only pages (lists, case, person, letters, register, downloads) refuse POST with 405.
EXPECTATIONS = {
    "home": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "incidents:incident_list": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "incidents:incident_new": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:incident_detail": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "incidents:incident_history": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # require_POST; the stage service checks the role: office, chair and trust may not move a case.
    "incidents:incident_advance": E(get="405 405 405 405 405", post="403 302 302 403 403"),
    "incidents:statement_add": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "incidents:conversation_record": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "incidents:evidence_add": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:evidence_download": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # Staff harmed (issue 26): the school's writers record the harm and the days off; senior leaders and the
    # head the support offered and the RIDDOR report; the Chair and the trust read them on the case page.
    "incidents:staff_harm_add": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:staff_harm_days": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:staff_support_add": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "incidents:staff_harm_riddor": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "incidents:person_list": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # The picker's search answers every reader with the people they may see (issue 21.1).
    "incidents:person_search": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "incidents:person_new": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:person_detail": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # Records at other schools (issue 21.5): only the heads of the pair's two schools, and the DPO, are told.
    "incidents:person_match_detail": E(get="404 404 200 404 404", post="405 405 405 405 405", dpo="200 405"),
    "incidents:person_match_confirm": E(get="405 405 405 405 405", post="404 404 302 404 404", dpo="405 302"),
    "incidents:person_match_dismiss": E(get="405 405 405 405 405", post="404 404 302 404 404", dpo="405 302"),
    "incidents:person_edit": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    # The code of conduct given and who collects the child (issue 26): the school's office, leaders and head
    # record them; the Chair and trust read them on the person page. Removing is a POST that redirects.
    "incidents:code_given_new": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:code_given_remove": E(get="405 405 405 405 405", post="302 302 302 403 403"),
    "incidents:collector_new": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:collector_edit": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "incidents:collector_remove": E(get="405 405 405 405 405", post="302 302 302 403 403"),
    # A head merges records known only at their school; the DPO across the trust (issue 21.4).
    "incidents:person_merge": E(get="403 403 200 403 403", post="403 403 200 403 403", dpo="200 200"),
    "sanctions:proposal_new": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:consultation_new": E(get="403 403 403 200 403", post="403 403 403 200 403"),
    "sanctions:decision_new": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:action_done": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:case_close": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:case_reopen": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    # Letters: leaders draft and edit, the head issues; an issued letter is downloaded by any reader.
    "sanctions:letter_new": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:case_account_edit": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:letter_detail": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:letter_edit": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:letter_facts": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:letter_preview": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:letter_preview_pdf": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # An empty issue form is sent back to the letter page with a message.
    "sanctions:letter_issue": E(get="405 405 405 405 405", post="403 403 302 403 403"),
    "sanctions:letter_download": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:letter_correct": E(get="405 405 405 405 405", post="403 302 302 403 403"),
    "sanctions:letter_discard": E(get="405 405 405 405 405", post="403 302 302 403 403"),
    # Accessible formats (issue 22.5): office, leaders and the head make the large-print copy (a redirect
    # back to the letter); any reader downloads it once made.
    "sanctions:letter_large_print_make": E(get="405 405 405 405 405", post="302 302 302 403 403"),
    "sanctions:letter_large_print": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # Sending issued letters (issue 22.4): the school's office, leaders and head email again, mark as posted,
    # record a hand-over and use the print pack; the Chair and trust-wide readers do not send letters.
    # An empty "posted" or "handed over" form comes back with its errors; "send" and "mark all" redirect
    # with a message; with nothing waiting, the pack sends you back to the list.
    "sanctions:letter_send": E(get="405 405 405 405 405", post="302 302 302 403 403"),
    "sanctions:letter_posted": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "sanctions:letter_handed": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "sanctions:letters_to_post": E(get="200 200 200 403 403", post="405 405 405 405 405"),
    "sanctions:letters_to_post_pack": E(get="302 302 302 403 403", post="405 405 405 405 405"),
    "sanctions:letters_to_post_mark": E(get="405 405 405 405 405", post="302 302 302 403 403"),
    "sanctions:case_summary": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # Bans: the head decides, leaders record representations, the Chair signs off an extension.
    "sanctions:ban_new": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:ban_detail": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:ban_register": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:ban_register_print": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:register_photo": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # At the gate (issue 23): anyone on the register checks a visitor; office and head export the block list;
    # those who log incidents report a breach (an empty form comes back with its errors).
    "sanctions:ban_check": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:ban_register_export": E(get="200 403 200 403 403", post="405 405 405 405 405"),
    "sanctions:ban_breach_new": E(get="200 200 200 403 403", post="200 200 200 403 403"),
    "sanctions:representation_new": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    # Before the deadline the service refuses with a message: a redirect back to the ban.
    "sanctions:ban_no_representations": E(get="405 405 405 405 405", post="403 302 302 403 403"),
    "sanctions:ban_confirm": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:ban_withdraw": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:ban_review_new": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:ban_extension_consult": E(get="403 403 403 200 403", post="403 403 403 200 403"),
    "sanctions:ban_end": E(get="405 405 405 405 405", post="403 403 302 403 403"),
    "sanctions:representation_attachment": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    # Complaints (issue 26.3): leaders record them and each stage's outcome; the head takes one on or closes it
    # (closing a complaint whose stage has no outcome is refused with a message: a redirect back to it).
    "sanctions:complaint_new": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:complaint_detail": E(get="200 200 200 200 200", post="405 405 405 405 405"),
    "sanctions:complaint_outcome": E(get="403 200 200 403 403", post="403 200 200 403 403"),
    "sanctions:complaint_escalate": E(get="403 403 200 403 403", post="403 403 200 403 403"),
    "sanctions:complaint_close": E(get="405 405 405 405 405", post="403 403 302 403 403"),
}

# Single cases where the code is known to be wrong: (url name, persona, scope, method) -> reason.
# Such a case is an expected failure (the URL's test shows as xfailed); once the view is
# fixed, the test fails until the line is removed, as a strict xfail would.
KNOWN_BUGS: dict[tuple, str] = {}


# Objects ------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _case(stage, **kwargs):
    return lambda build, school: {"pk": build.case(stage=stage, school=school, **kwargs).pk}


def _evidence(build, school):
    incident = build.case(school=school)
    actor = build.p["office"] if school == build.school else build.p["other_office"]
    evidence = incident_services.evidence_add(
        actor=actor, incident=incident, upload=SimpleUploadedFile("gate.png", PNG, content_type="image/png"),
        description="Photo of the gate",
    )
    return {"pk": evidence.pk}


def _staff_harm(build, school):
    incident = build.case(school=school)
    actor = build.p["office"] if school == build.school else build.p["other_office"]
    harm = incident_services.staff_harm_record(actor=actor, incident=incident, name="Jo Teacher",
                                               what_happened="Pushed.", injury="other", days_off=9)
    return {"pk": harm.pk}


def _person(build, school):
    return {"pk": build.person(school=school).pk}


def _writer_of(build, school):
    return build.p["office"] if school == build.school else build.p["other_office"]


def _code_given(build, school):
    from datetime import date

    person = build.person(school=school)
    record = incident_services.code_given_record(actor=_writer_of(build, school), person=person, school=school,
                                                 given_on=date(2025, 9, 3), how="letter")
    return {"pk": record.pk}


def _collector(build, school):
    person = build.person(school=school)
    collector = incident_services.collector_add(actor=_writer_of(build, school), person=person, school=school,
                                                name="Jean Parent", relationship="grandmother")
    return {"pk": collector.pk}


def _open_action(build, school):
    incident = build.case(stage=Stage.DECIDED, school=school)
    return {"pk": incident.decisions.last().followups.first().pk}


def _actors(build, school):
    """(leader, head, chair) of `school`. The shared personas have no Chair at the other school: add one."""
    from django.contrib.auth import get_user_model

    from conduct.models import StaffRole
    from conduct.roles import Role

    if school == build.school:
        return build.p["senior"], build.p["head"], build.p["chair"]
    chair, created = get_user_model().objects.get_or_create(username="other_chair")
    if created:
        StaffRole.objects.create(user=chair, role=Role.CHAIR, school=school)
    return build.p["other_head"], build.p["other_head"], chair


def _ban_case(build, school):
    """A decided case whose response is a site ban the school's Chair signed off."""
    from django.utils import timezone

    from sanctions.models import ConsultationMethod, DecisionOutcome
    from sanctions.responses import services as sanction_services

    _, head, chair = _actors(build, school)
    incident = build.case(stage=Stage.AWAITING_CHAIR, school=school)
    sanction_services.consultation_record(actor=chair, incident=incident, consulted_on=timezone.localdate(),
                                          method=ConsultationMethod.PHONE, chair_view="Agreed.", signed_off=True,
                                          reasons_not_signed="")
    sanction_services.decision_record(actor=head, incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Yes.")
    incident.refresh_from_db()
    return incident


def _make_ban(build, school):
    from datetime import timedelta

    from django.utils import timezone

    from sanctions.bans import services as ban_services
    from sanctions.models import BanRoute

    _, head, _ = _actors(build, school)
    incident = _ban_case(build, school)
    today = timezone.localdate()
    return ban_services.ban_create(
        actor=head, incident=incident, person=incident.subjects()[0], route=BanRoute.PROVISIONAL, sites=[school],
        starts_on=today, ends_on=today + timedelta(days=180), review_on=today + timedelta(days=90),
        pupil_arrangements="Collected at the office.", reasons="Staff felt threatened.",
    )


def _ban(build, school):
    return {"pk": _make_ban(build, school).pk}


def _ban_with_photo(build, school):
    from django.core.files.base import ContentFile

    ban = _make_ban(build, school)
    ban.person.photo.save("photo.png", ContentFile(PNG), save=True)
    return {"pk": ban.pk}


def _representation(build, school):
    from django.utils import timezone

    from sanctions.bans import services as ban_services

    leader, _, _ = _actors(build, school)
    ban = _make_ban(build, school)
    representation = ban_services.representation_record(
        actor=leader, ban=ban, received_on=timezone.localdate(), summary="I was upset.",
        attachment=SimpleUploadedFile("reply.png", PNG))
    return {"pk": representation.pk}


def _complaint(build, school):
    from django.utils import timezone

    from sanctions.complaints import services as complaint_services

    leader, _, _ = _actors(build, school)
    incident = build.case(stage=Stage.DECIDED, school=school)
    complaint = complaint_services.complaint_record(
        actor=leader, incident=incident, complainant=incident.subjects()[0], received_on=timezone.localdate(),
        summary="Unfair.", decision=incident.decisions.last())
    return {"pk": complaint.pk}


def _draft_letter_obj(build, school):
    from sanctions.letters import services as letter_services
    from sanctions.models import LetterKind

    leader, _, _ = _actors(build, school)
    incident = build.case(stage=Stage.DECIDED, school=school)  # the response includes a warning letter
    return letter_services.letter_draft(actor=leader, incident=incident, kind=LetterKind.WARNING,
                                        person=incident.subjects()[0])


def _draft_letter(build, school):
    return {"pk": _draft_letter_obj(build, school).pk}


def _issued_letter(build, school):
    from sanctions.letters import services as letter_services

    _, head, _ = _actors(build, school)
    letter = letter_services.letter_issue(actor=head, letter=_draft_letter_obj(build, school), sent_by="post")
    return {"pk": letter.pk}


def _large_print_letter(build, school):
    from sanctions.letters.formats import letter_format_create
    from sanctions.models import Letter, LetterFormatKind

    _, head, _ = _actors(build, school)
    letter = Letter.objects.get(**_issued_letter(build, school))
    letter_format_create(actor=head, letter=letter, kind=LetterFormatKind.LARGE_PRINT)
    return {"pk": letter.pk}


def _letter_waiting(sent_by):
    """An issued letter not yet sent `sent_by` (an email's send waits for a commit the test never makes)."""
    def make(build, school):
        from sanctions.letters import services as letter_services

        _, head, _ = _actors(build, school)
        letter = letter_services.letter_issue(actor=head, letter=_draft_letter_obj(build, school), sent_by=sent_by)
        return {"pk": letter.pk}
    return make


def _person_match(build, school):
    """An open alert between `school` and a third school of the trust (so the other school's head is not told)."""
    from conduct.models import School
    from incidents.models import MatchReason, PersonMatch

    third, _ = School.objects.get_or_create(trust=school.trust, code="three", defaults={
        "name": "School Three", "address": "3 Test Road", "phone": "01000 000003", "email": "office@three.example.org",
        "head_name": "Head of School Three", "head_title": "Head of School", "chair_name": "Chair of School Three",
        "site_contact": "Call the head"})
    person = build.person(school=school)
    first, second = sorted([school, third], key=lambda s: s.pk)
    match = PersonMatch.objects.create(school=first, person=person, other_school=second, other_person=person,
                                       reason=MatchReason.SAME_RECORD)
    return {"pk": match.pk}


# URL name -> function(build, school) returning the URL kwargs for a record of `school`.
OBJECTS = {
    "incidents:incident_detail": _case(Stage.GATHERING),
    "incidents:incident_history": _case(Stage.GATHERING),
    "incidents:incident_advance": _case(Stage.REPORTED),
    "incidents:statement_add": _case(Stage.GATHERING),
    "incidents:conversation_record": _case(Stage.CONVERSATION),
    "incidents:evidence_add": _case(Stage.GATHERING),
    "incidents:evidence_download": _evidence,
    "incidents:staff_harm_add": _case(Stage.GATHERING),
    "incidents:staff_harm_days": _staff_harm,
    "incidents:staff_support_add": _staff_harm,
    "incidents:staff_harm_riddor": _staff_harm,
    "incidents:person_detail": _person,
    "incidents:person_edit": _person,
    "incidents:person_match_detail": _person_match,
    "incidents:person_match_confirm": _person_match,
    "incidents:person_match_dismiss": _person_match,
    "incidents:person_merge": _person,
    "incidents:code_given_new": _person,
    "incidents:code_given_remove": _code_given,
    "incidents:collector_new": _person,
    "incidents:collector_edit": _collector,
    "incidents:collector_remove": _collector,
    "sanctions:proposal_new": _case(Stage.CONVERSATION),
    "sanctions:consultation_new": _case(Stage.AWAITING_CHAIR),
    "sanctions:decision_new": _case(Stage.PROPOSED),
    "sanctions:action_done": _open_action,
    "sanctions:case_close": _case(Stage.DECIDED),
    "sanctions:case_reopen": _case(Stage.CLOSED),
    "sanctions:letter_new": _case(Stage.DECIDED),
    "sanctions:case_account_edit": _case(Stage.DECIDED),
    "sanctions:case_summary": _case(Stage.DECIDED),
    "sanctions:ban_new": lambda build, school: {"pk": _ban_case(build, school).pk},
    "sanctions:letter_detail": _draft_letter,
    "sanctions:letter_edit": _draft_letter,
    "sanctions:letter_facts": _draft_letter,
    "sanctions:letter_preview": _draft_letter,
    "sanctions:letter_preview_pdf": _draft_letter,
    "sanctions:letter_issue": _draft_letter,
    "sanctions:letter_discard": _draft_letter,
    "sanctions:letter_download": _issued_letter,
    "sanctions:letter_correct": _issued_letter,
    "sanctions:letter_large_print_make": _issued_letter,
    "sanctions:letter_large_print": _large_print_letter,
    "sanctions:letter_send": _letter_waiting("email"),
    "sanctions:letter_posted": _letter_waiting("post"),
    "sanctions:letter_handed": _letter_waiting("hand"),
    "sanctions:ban_detail": _ban,
    "sanctions:register_photo": _ban_with_photo,
    "sanctions:ban_breach_new": _ban,
    "sanctions:representation_new": _ban,
    "sanctions:ban_no_representations": _ban,
    "sanctions:ban_confirm": _ban,
    "sanctions:ban_withdraw": _ban,
    "sanctions:ban_review_new": _ban,
    "sanctions:ban_extension_consult": _ban,
    "sanctions:ban_end": _ban,
    "sanctions:representation_attachment": _representation,
    "sanctions:complaint_new": _case(Stage.DECIDED),
    "sanctions:complaint_detail": _complaint,
    "sanctions:complaint_outcome": _complaint,
    "sanctions:complaint_escalate": _complaint,
    "sanctions:complaint_close": _complaint,
}

# Data for POSTs whose permission check sits behind form validation.
POST_DATA = {
    "incidents:incident_advance": {"to_stage": Stage.GATHERING, "note": "Matrix test"},
}


# Apps on the top floor keep their rows next to their own tests: tests/<app>/matrix.py
# defines EXPECTATIONS, OBJECTS and POST_DATA in the same form as above.
for _module_name in ("tests.reports.matrix", "tests.privacy.matrix", "tests.conduct.matrix_trust_setup"):
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as error:
        if error.name != _module_name:
            raise
        continue
    EXPECTATIONS.update(getattr(_module, "EXPECTATIONS", {}))
    OBJECTS.update(getattr(_module, "OBJECTS", {}))
    POST_DATA.update(getattr(_module, "POST_DATA", {}))


# The URL list --------------------------------------------------------------------------


def _walk(patterns, namespace="", prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(entry.url_patterns, full_ns, route)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), route, entry


def _skip_reason(route: str):
    admin_prefix = settings.ADMIN_URL.strip("/")
    if admin_prefix and route.startswith(admin_prefix + "/") or route.lstrip("^").startswith(admin_prefix + "/"):
        return SKIPPED_PREFIXES["admin"]
    for prefix, reason in SKIPPED_PREFIXES.items():
        if route.lstrip("^").startswith(prefix + "/"):
            return reason
    return None


def app_urls():
    """(name, route, takes_kwargs) for every URL the matrix covers."""
    found = []
    for name, route, _entry in _walk(get_resolver().url_patterns):
        if _skip_reason(route):
            continue
        takes_kwargs = bool(re.search(r"<[^>]+>|\(\?P<", route))
        found.append((name, route, takes_kwargs))
    return found


URLS = app_urls()
PERSONAS = ["office", "senior", "head", "chair", "trust", "dpo", "other_office", "other_head", "inactive",
            "anonymous"]
# Trust-wide readers: any school's record answers as their own.
TRUST_WIDE = ("trust", "dpo")
HOME_OF = {"office": "school", "senior": "school", "head": "school", "chair": "school",
           "other_office": "other_school", "other_head": "other_school", "inactive": "school"}
ROLE_OF = {"other_office": "office", "other_head": "head"}


def _cases():
    for name, route, takes_kwargs in URLS:
        for scope in (["school", "other_school"] if takes_kwargs else ["none"]):
            yield pytest.param(name or route, route, scope, id=f"{name or route}-{scope}")


def _dpo_client():
    """The data protection officer: a trust-wide role the shared personas do not include."""
    from django.contrib.auth import get_user_model

    from conduct.models import StaffRole
    from conduct.roles import Role

    user = get_user_model().objects.create_user(username="matrix_dpo", first_name="Dana")
    StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    client = Client()
    client.force_login(user)
    return client


def expected_status(name, persona, scope, method):
    if persona in ("anonymous", "inactive"):
        return 302
    table = EXPECTATIONS[name][method]
    role = ROLE_OF.get(persona, persona)
    if persona == "dpo":
        return table.get("dpo", table["trust"])
    if persona in TRUST_WIDE or scope == "none" or HOME_OF[persona] == scope:
        return table[role]
    # Another school's record: 404, unless the method is refused for everybody.
    if all(status == 405 for status in table.values()):
        return 405
    return 404


def test_every_url_has_expectations_and_objects():
    """A URL added without a row in the table (or without an object factory) fails here, by name."""
    missing = [name or route for name, route, _ in URLS if name not in EXPECTATIONS]
    no_factory = [name for name, _, takes_kwargs in URLS if takes_kwargs and name not in OBJECTS]
    assert not missing, f"URLs with no row in EXPECTATIONS of the permission matrix: {missing}"
    assert not no_factory, f"URLs that take arguments but have no object factory in OBJECTS: {no_factory}"


def test_no_stale_expectations():
    names = {name for name, _, _ in URLS}
    stale = sorted(set(EXPECTATIONS) - names)
    assert not stale, f"EXPECTATIONS rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize(("name", "route", "scope"), list(_cases()))
def test_permission_matrix(name, route, scope, build, client_as):
    """One URL and one school's record, every persona, GET and POST.

    The record is built once; each persona's requests run in a savepoint that is
    rolled back, so one persona's POST (a discarded letter, a moved case) never
    changes what the next persona sees.
    """
    if name not in EXPECTATIONS:
        pytest.fail(f"The URL {name!r} ({route}) has no row in EXPECTATIONS of the permission matrix.")
    if scope == "none":
        url = reverse(name)
    else:
        if name not in OBJECTS:
            pytest.fail(f"The URL {name!r} ({route}) takes arguments but has no object factory in OBJECTS.")
        school = build.school if scope == "school" else build.other_school
        url = reverse(name, kwargs=OBJECTS[name](build, school))
    clients = {persona: client_as(persona) for persona in PERSONAS if persona != "dpo"}
    clients["dpo"] = _dpo_client()
    problems, known = [], []
    for persona in PERSONAS:
        for method in ("GET", "POST"):
            with transaction.atomic():
                client = clients[persona]
                response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(name, {}))
                transaction.set_rollback(True)
            expected = expected_status(name, persona, scope, method)
            got = response.status_code
            where = f"{method} {url} as {persona} ({scope})"
            bug = KNOWN_BUGS.get((name, persona, scope, method))
            if bug:
                if got == expected:
                    problems.append(f"{where}: answers {got} now; remove it from KNOWN_BUGS ({bug})")
                else:
                    known.append(f"{where}: {bug}")
                continue
            if got != expected:
                problems.append(f"{where}: expected {expected}, got {got}")
            elif expected == 302 and persona in ("anonymous", "inactive"):
                if not response["Location"].startswith(settings.LOGIN_URL):
                    problems.append(f"{where}: sent to {response['Location']}, not the login page")
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail("known bugs: " + "; ".join(known))
