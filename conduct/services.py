"""Every write that sets up a trust: schools, who may remove people from them, staff accounts,
their roles and authenticator apps.

Only a trust administrator (the trust-wide admin role, or a superuser) may
call these, apart from adding one's own authenticator app and choosing how one
hears of cases (one's own notification preference). Each runs in one
transaction, keeps simple-history's row naming the administrator and the
reason, and writes a line to the conduct.audit log (adding an app: the log only).
Invitation emails leave after the commit, so a refused change sends nothing.
"""

from pathlib import Path
from uuid import uuid4

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct.audit import audit_log
from conduct.dates import page_date
from conduct.history import save_with_history
from conduct.invitations import invitation_send
from conduct.models import AuthorisedPerson, NotificationPreference, School, StaffRole, Trust
from conduct.permissions import forget_roles, is_trust_admin
from conduct.roles import TRUST_WIDE_ROLES, Role
from conduct.staff_csv import decode, email_problem, read_staff_csv
from conduct.uploads import check_image

LOGO_MAX_BYTES = 2 * 1024 * 1024
SCHOOL_FIELDS = ("name", "address", "phone", "email", "letter_from_email", "head_name", "head_title", "chair_name",
                 "representation_days", "max_ban_months", "site_contact")


def require_trust_admin(actor) -> None:
    if not is_trust_admin(actor):
        raise PermissionDenied("Only a trust administrator may set up schools and staff.")


# Schools --------------------------------------------------------------------------------


@transaction.atomic
def trust_create(*, actor, name) -> Trust:
    require_trust_admin(actor)
    trust = save_with_history(Trust(name=name.strip()), actor=actor, reason="Trust set up")
    audit_log(actor, "trust_created", trust)
    return trust


def _attach_logo(school, logo) -> None:
    check_image(logo, max_bytes=LOGO_MAX_BYTES)
    # A random stored name: nothing the uploader typed reaches the file system.
    # An earlier logo stays on disk: the school's history still names it.
    school.logo.save(f"{uuid4().hex}{Path(logo.name).suffix.lower()}", logo, save=False)


@transaction.atomic
def school_create(*, actor, trust, code, logo=None, **fields) -> School:
    require_trust_admin(actor)
    school = School(trust=trust, code=code.strip(), **{k: fields[k] for k in SCHOOL_FIELDS if k in fields})
    school.full_clean(exclude=["logo"])
    if logo:
        _attach_logo(school, logo)
    save_with_history(school, actor=actor, reason="School set up")
    audit_log(actor, "school_created", school, code=school.code)
    return school


TRUST_COMPLAINT_FIELDS = ("complaint_informal_days", "complaint_formal_days", "complaint_panel_days")


@transaction.atomic
def trust_complaint_days_update(*, actor, trust, **days) -> Trust:
    """The calendar days the trust's complaints procedure gives each stage. A complaint already at a stage
    keeps the deadline it was given; the next stage it reaches takes the new days."""
    require_trust_admin(actor)
    trust = Trust.objects.select_for_update().get(pk=trust.pk)
    changed = [name for name in TRUST_COMPLAINT_FIELDS if name in days and getattr(trust, name) != days[name]]
    for name in changed:
        setattr(trust, name, days[name])
    if not changed:
        return trust
    save_with_history(trust, actor=actor, reason="Days per complaint stage changed")
    audit_log(actor, "trust_complaint_days_updated", trust, fields=",".join(changed))
    return trust


@transaction.atomic
def school_update(*, actor, school, logo=None, remove_logo=False, **fields) -> School:
    """Letterhead details, the Chair, representation days and who reception calls.

    The code cannot change: it is part of every case reference already issued.
    """
    require_trust_admin(actor)
    school = School.objects.select_for_update().get(pk=school.pk)
    changed = [name for name in SCHOOL_FIELDS if name in fields and getattr(school, name) != fields[name]]
    for name in changed:
        setattr(school, name, fields[name])
    if logo:
        _attach_logo(school, logo)
        changed.append("logo")
    elif remove_logo and school.logo:
        school.logo = ""
        changed.append("logo")
    if not changed:
        return school
    save_with_history(school, actor=actor, reason="School details changed")
    audit_log(actor, "school_updated", school, fields=",".join(changed))
    return school


# Who may remove a person from the premises (section 547) ---------------------------------


@transaction.atomic
def authorised_person_add(*, actor, school, name, role, authorised_from) -> AuthorisedPerson:
    """Record that the trust authorised `name` to remove a person causing a nuisance from `school`."""
    require_trust_admin(actor)
    person = AuthorisedPerson(school=school, name=name.strip(), role=role.strip(), authorised_from=authorised_from,
                              added_by=actor)
    save_with_history(person, actor=actor, reason="Authorised under section 547")
    audit_log(actor, "authorised_person_added", person, school=school.code)
    return person


@transaction.atomic
def authorised_person_end(*, actor, person, authorised_until) -> AuthorisedPerson:
    """The authorisation's last day; the record stays, as who could remove someone when."""
    require_trust_admin(actor)
    person = AuthorisedPerson.objects.select_for_update(of=("self",)).select_related("school").get(pk=person.pk)
    if person.authorised_until is not None:
        raise ValidationError({"authorised_until": f"This authorisation ended on {page_date(person.authorised_until)} "
                                                   "already."})
    person.authorised_until = authorised_until
    save_with_history(person, actor=actor, reason="Authorisation under section 547 ended")
    audit_log(actor, "authorised_person_ended", person, school=person.school.code)
    return person


# Staff ----------------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


def _check_grant(*, actor, user, role, school) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    if role in TRUST_WIDE_ROLES and school is not None:
        raise ValidationError({"schools": f"{Role(role).label} is a trust-wide role: choose no school."})
    if role not in TRUST_WIDE_ROLES and school is None:
        raise ValidationError({"schools": f"Choose the school where they are {Role(role).label}."})
    _check_may_change(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError("This account is deactivated: it cannot be given a role.")
    if StaffRole.objects.filter(user=user, school=school, role=role).exists():
        who, where = user.get_full_name() or user.get_username(), school.name if school else "all schools"
        raise ValidationError(f"{who} is already {Role(role).label} at {where}.")


def _check_may_change(*, actor, user) -> None:
    # Nobody widens or ends their own access: a second administrator does it, and it shows in the history.
    if user.pk == actor.pk:
        raise PermissionDenied("Another administrator must change your own account.")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied("Only a superuser may change a superuser's account.")


def _grant(*, actor, user, role, school, reason) -> StaffRole:
    _check_grant(actor=actor, user=user, role=role, school=school)
    staff_role = save_with_history(StaffRole(user=user, role=role, school=school), actor=actor, reason=reason)
    forget_roles(user)
    audit_log(actor, "staff_role_granted", staff_role, member=user.pk, role=role,
              school=school.code if school else "-")
    return staff_role


@transaction.atomic
def staff_invite(*, actor, name, email, grants) -> object:
    """A new account with no usable password, its roles, and an email with the set-password link.

    `grants` is a list of (role, school or None), at least one.
    """
    require_trust_admin(actor)
    email = email.strip().lower()
    name = name.strip()
    if not grants:
        raise ValidationError("Give them at least one role.")
    if problem := email_problem(email):
        raise ValidationError({"email": problem[0].upper() + problem[1:] + "."})
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email: "
                                        "find them in the staff list and give them the role there."})
    first, last = _split_name(name)
    # The username is the email: what people remember, and unique already.
    user = users.model(username=email, email=email, first_name=first, last_name=last, is_active=True)
    user.set_unusable_password()
    user.full_clean()
    user._history_user, user._change_reason = actor, "Invited"
    user.save()
    audit_log(actor, "staff_invited", user)
    roles = [_grant(actor=actor, user=user, role=role, school=school, reason="Invited")
             for role, school in grants]
    invitation_send(user=user, invited_by=actor, roles=roles)
    return user


@transaction.atomic
def staff_reinvite(*, actor, user) -> None:
    """A fresh link for someone who has not set a password yet (the first one expired or was lost)."""
    require_trust_admin(actor)
    _check_may_change(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError("This account is deactivated.")
    if user.has_usable_password():
        raise ValidationError("They have set a password already: they can reset it from the login page.")
    audit_log(actor, "staff_reinvited", user)
    invitation_send(user=user, invited_by=actor, roles=list(user.staff_roles.select_related("school")))


@transaction.atomic
def staff_role_grant(*, actor, user, role, school=None) -> StaffRole:
    require_trust_admin(actor)
    return _grant(actor=actor, user=user, role=role, school=school, reason="Role granted")


@transaction.atomic
def staff_role_revoke(*, actor, staff_role) -> None:
    require_trust_admin(actor)
    # Only the role's row: PostgreSQL cannot lock the nullable side of the join to a trust-wide role's school.
    staff_role = (StaffRole.objects.select_for_update(of=("self",)).select_related("user", "school")
                  .get(pk=staff_role.pk))
    _check_may_change(actor=actor, user=staff_role.user)
    staff_role._change_reason = "Role revoked"
    staff_role._history_user = actor
    audit_log(actor, "staff_role_revoked", staff_role, member=staff_role.user_id, role=staff_role.role,
              school=staff_role.school.code if staff_role.school else "-")
    staff_role.delete()
    forget_roles(staff_role.user)


@transaction.atomic
def staff_deactivate(*, actor, user) -> None:
    """A leaver: signed out at once, their records and roles kept, named in every history as before.

    An inactive account no longer authenticates on its next request (the auth
    backend refuses it), so an open session ends there; its roles stay as the
    record of what they did, and they can never log in again with them.
    """
    require_trust_admin(actor)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check_may_change(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError("This account is deactivated already.")
    user.is_active = False
    user._history_user, user._change_reason = actor, "Deactivated: left the school or trust"
    user.save(update_fields=["is_active"])
    forget_roles(user)
    audit_log(actor, "staff_deactivated", user)


@transaction.atomic
def staff_authenticators_reset(*, actor, user) -> int:
    """A lost phone: every authenticator app of the account goes, so its next login sets up a new one.

    Sessions verified with a removed app are no longer verified (django-otp finds no device), so
    whoever holds one is asked for a second factor again. Returns how many confirmed apps went.
    """
    require_trust_admin(actor)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _check_may_change(actor=actor, user=user)
    devices = TOTPDevice.objects.filter(user=user)
    confirmed = devices.filter(confirmed=True).count()
    if not confirmed:
        raise ValidationError("They have no authenticator app set up: there is nothing to reset.")
    devices.delete()
    save_with_history(user, actor=actor, reason="Authenticators reset: set up again at next login")
    audit_log(actor, "staff_authenticators_reset", user, devices=confirmed)
    return confirmed


# One's own authenticator app ------------------------------------------------------------


def is_verified_session(user) -> bool:
    """Has this request's session passed a second factor? Outside a request (no OTP middleware) it has not."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def may_add_authenticator(user) -> bool:
    # Once an account has an app, adding another takes a code from it: otherwise the password alone
    # would let a second session enrol its own app and walk past the second factor.
    return is_verified_session(user) or not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _require_may_add_authenticator(actor) -> None:
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Log in first.")
    if not may_add_authenticator(actor):
        raise PermissionDenied("Enter a code from your authenticator app before adding another one.")


@transaction.atomic
def authenticator_start(*, actor) -> TOTPDevice:
    """A new secret for the actor's session to show, and nobody else's.

    Earlier unconfirmed secrets go: one left lying about could be read by another session and
    then confirmed by the owner, who would be enrolling a secret the other session knows.
    """
    _require_may_add_authenticator(actor)
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice(user=actor, name="Authenticator app", confirmed=False)
    device.full_clean()
    device.save()
    audit_log(actor, "2fa_setup_started", device)
    return device


@transaction.atomic
def authenticator_confirm(*, actor, device, token: str) -> bool:
    """Confirm the app that shows `token`; False when the code is wrong (throttled by django-otp)."""
    _require_may_add_authenticator(actor)
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError("That set-up has expired: scan the new code.")
    if not device.verify_token(token):
        audit_log(actor, "2fa_setup_failed", device)
        return False
    device.confirmed = True
    device.full_clean()
    device.save(update_fields=["confirmed"])
    audit_log(actor, "2fa_device_added", device)
    return True


# One's own notifications ----------------------------------------------------------------


@transaction.atomic
def notification_preference_set(*, actor, frequency) -> NotificationPreference:
    """The actor's own choice of an email each time or a daily digest; nobody sets another's."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Log in first.")
    preference = (NotificationPreference.objects.select_for_update().filter(user=actor).first()
                  or NotificationPreference(user=actor))
    if preference.pk and preference.frequency == frequency:
        return preference  # no change: no history row saying there was one
    preference.frequency = frequency
    return save_with_history(preference, "Notification preference set", actor=actor)


# Import ---------------------------------------------------------------------------------


class StaffImportRefused(ValidationError):
    """The file has problems: nothing was saved. `.staff_file` says which rows and why."""

    def __init__(self, staff_file):
        super().__init__("Nothing was imported: the file has problems.")
        self.staff_file = staff_file


@transaction.atomic
def staff_import(*, actor, content: bytes):
    """Every row of the file, or none: each row is checked again against the database as it is now."""
    require_trust_admin(actor)
    staff_file = read_staff_csv(decode(content), actor=actor)
    if not staff_file.ok:
        raise StaffImportRefused(staff_file)
    new_people = {}
    for row in staff_file.rows:
        if row.user is None:
            new_people.setdefault(row.email, (row.name, []))[1].append((row.role, row.school))
    invited = [staff_invite(actor=actor, name=name, email=email, grants=grants)
               for email, (name, grants) in new_people.items()]
    granted = [staff_role_grant(actor=actor, user=row.user, role=row.role, school=row.school)
               for row in staff_file.rows if row.user is not None]
    audit_log(actor, "staff_imported", rows=len(staff_file.rows), invited=len(invited), granted=len(granted))
    return invited, granted
