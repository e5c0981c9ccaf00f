"""The privacy app's rows of the permission matrix (tests/conduct/test_permission_matrix.py).

Statuses for office senior head chair trust at their own school, then the
data protection officer's own (GET POST): dpo differs from trust on every
privacy page. Only the DPO and heads handle requests: everyone else is not
even admitted to one (404, as for a record they may not see), and the pages
without a record refuse them with 403. Empty POSTs come back as the form with
its errors (200) or as a redirect with a message (302).
"""

ROLES = ("office", "senior", "head", "chair", "trust")


def _row(statuses):
    return dict(zip(ROLES, (int(v) for v in statuses.split()), strict=True))


def E(get, post, dpo):  # noqa: N802 - reads as a table
    row = {"GET": _row(get), "POST": _row(post)}
    row["GET"]["dpo"], row["POST"]["dpo"] = (int(v) for v in dpo.split())
    return row


NOT_ADMITTED = "404 404 {head} 404 404"
SAFE = "405 405 405 405 405"


def _own(head):
    return NOT_ADMITTED.format(head=head)


#                                          office senior head chair trust                   dpo GET POST
EXPECTATIONS = {
    "privacy:request_list": E(get="403 403 200 403 403", post=SAFE, dpo="200 405"),
    "privacy:request_new": E(get="403 403 200 403 403", post="403 403 200 403 403", dpo="200 200"),
    "privacy:request_detail": E(get=_own(200), post=SAFE, dpo="200 405"),
    "privacy:request_identity": E(get=_own(200), post=_own(200), dpo="200 200"),
    "privacy:request_extend": E(get=_own(200), post=_own(200), dpo="200 200"),
    # Only the DPO stops or restarts the clock: the head who handles the request is refused.
    "privacy:request_pause": E(get=_own(403), post=_own(403), dpo="200 200"),
    "privacy:request_resume": E(get=_own(403), post=_own(403), dpo="200 200"),
    "privacy:request_gather": E(get=SAFE, post=_own(302), dpo="405 302"),
    "privacy:request_review": E(get=_own(200), post=SAFE, dpo="200 405"),
    "privacy:request_preview": E(get=_own(200), post=SAFE, dpo="200 405"),
    # Not gathered yet: the service refuses and the request page says why.
    "privacy:request_release": E(get=SAFE, post=_own(302), dpo="405 302"),
    "privacy:pack_pdf": E(get=_own(200), post=SAFE, dpo="200 405"),
    "privacy:pack_zip": E(get=_own(200), post=SAFE, dpo="200 405"),
    "privacy:item_detail": E(get=_own(200), post=SAFE, dpo="200 405"),
    "privacy:item_decide": E(get=SAFE, post=_own(302), dpo="405 302"),
    "privacy:redaction_decide": E(get=SAFE, post=_own(302), dpo="405 302"),
    "privacy:access_export": E(get="403 403 403 403 403", post=SAFE, dpo="200 405"),
    "privacy:retention": E(get="403 403 200 403 403", post=SAFE, dpo="200 405"),
    "privacy:policy_edit": E(get="403 403 403 403 403", post="403 403 403 403 403", dpo="200 200"),
    # Anyone who reads the case reaches the page; only its head and the DPO may hold it.
    "privacy:hold_new": E(get="403 403 200 403 403", post="403 403 200 403 403", dpo="200 200"),
    "privacy:hold_release": E(get=_own(200), post=_own(200), dpo="200 200"),
}


def _head(build, school):
    return build.p["head"] if school == build.school else build.p["other_head"]


def _request_obj(build, school, *, gathered=False, released=False):
    from django.utils import timezone

    from privacy import services

    head = _head(build, school)
    person = build.person(school=school)
    build.incident(school=school, person=person)
    request = services.request_create(actor=head, school=school, person=person, requester_name=person.full_name,
                                      reply_to="1 Home Street", received_on=timezone.localdate(), channel="email",
                                      identity_method="known")
    if gathered or released:
        services.request_gather(actor=head, request=request)
    if released:
        services.request_release(actor=head, request=request)
    return request


def _request(build, school):
    return {"pk": _request_obj(build, school).pk}


def _paused(build, school):
    from django.utils import timezone

    from privacy import services

    request = _request_obj(build, school)
    dpo = _matrix_dpo()
    services.request_pause(actor=dpo, request=request, reason="identity", detail="Asked for photo ID.",
                           paused_from=timezone.localdate())
    return {"pk": request.pk}


def _matrix_dpo():
    """A DPO to stop the clock with: the shared personas hold none (the matrix's own signs in elsewhere)."""
    from django.contrib.auth import get_user_model

    from conduct.models import StaffRole
    from conduct.roles import Role

    user, created = get_user_model().objects.get_or_create(username="matrix-dpo-pauser")
    if created:
        StaffRole.objects.create(user=user, role=Role.DPO, school=None)
    return user


def _released(build, school):
    return {"pk": _request_obj(build, school, released=True).pk}


def _item(build, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents import services as incident_services
    from privacy.models import ItemKind

    request = _request_obj(build, school)
    incident = request.person.incidents.get()
    office = build.p["office"] if school == build.school else build.p["other_office"]
    incident_services.evidence_add(actor=office, incident=incident, upload=SimpleUploadedFile(
        "gate.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"))
    from privacy import services

    services.request_gather(actor=_head(build, school), request=request)
    return request.items.get(kind=ItemKind.EVIDENCE)


def _redaction(build, school):
    from privacy.models import Redaction

    item = _item(build, school)
    return {"pk": Redaction.objects.filter(item__request=item.request).first().pk}


OBJECTS = {
    "privacy:request_detail": _request,
    "privacy:request_identity": _request,
    "privacy:request_extend": _request,
    "privacy:request_pause": _request,
    "privacy:request_resume": _paused,
    "privacy:request_gather": _request,
    "privacy:request_review": _request,
    "privacy:request_preview": _request,
    "privacy:request_release": _request,
    "privacy:pack_pdf": _released,
    "privacy:pack_zip": _released,
    "privacy:item_detail": lambda build, school: {"pk": _item(build, school).pk},
    "privacy:item_decide": lambda build, school: {"pk": _item(build, school).pk},
    "privacy:redaction_decide": _redaction,
    "privacy:access_export": lambda build, school: {"pk": build.person(school=school).pk},
}

def _hold(build, school):
    from datetime import timedelta

    from django.utils import timezone

    from privacy import services

    incident = build.case(school=school)
    hold = services.hold_place(actor=_head(build, school), incident=incident, kind="complaint",
                               reason="A complaint.", review_on=timezone.localdate() + timedelta(days=30))
    return {"pk": hold.pk}


OBJECTS["privacy:hold_new"] = lambda build, school: {"pk": build.case(school=school).pk}
OBJECTS["privacy:hold_release"] = _hold

POST_DATA = {}
