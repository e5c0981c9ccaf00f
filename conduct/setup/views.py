"""The trust administrator's pages: schools, who may remove people from them (section 547), staff,
their roles, and a staff CSV import.

Everybody else gets a 404, as for a record of another school: the pages do
not advertise that they exist. Every change goes through conduct.services.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct import services
from conduct.authorised import authorised_people as people_authorised_on
from conduct.invitations import INVITATION_DAYS
from conduct.models import AuthorisedPerson, School, StaffRole, Trust
from conduct.pagination import CappedPaginator
from conduct.params import soft_id
from conduct.permissions import is_trust_admin
from conduct.roles import Role
from conduct.setup.forms import (
    AuthorisedPersonEndForm,
    AuthorisedPersonForm,
    ComplaintDaysForm,
    RoleGrantForm,
    SchoolForm,
    StaffFilterForm,
    StaffImportForm,
    StaffInviteForm,
    TrustForm,
)
from conduct.staff_csv import read_staff_csv

PAGE_SIZE = 25
SCHOOLS_PAGE_SIZE = 50
IMPORT_SALT = "conduct.setup.staff_import"
# Long enough to read a preview of a thousand rows; short enough that a stale one is not confirmed next week.
IMPORT_MAX_AGE = 60 * 60


def trust_admin_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_trust_admin(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def _show_refusal(request, error) -> None:
    for text in (error.messages if isinstance(error, ValidationError) else [str(error)]):
        messages.error(request, text)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Schools --------------------------------------------------------------------------------


@trust_admin_required
def index(request):
    schools = School.objects.select_related("trust").annotate(
        staff=Count("staff_roles__user", filter=Q(staff_roles__user__is_active=True), distinct=True)
    ).order_by("name")
    page = CappedPaginator(schools, SCHOOLS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conduct/setup/index.html", {"page": page, "has_trust": Trust.objects.exists(),
                                                        "trusts": Trust.objects.order_by("name")[:SCHOOLS_PAGE_SIZE]})


@trust_admin_required
def school_new(request):
    trusts = Trust.objects.order_by("name")
    if not trusts.exists():
        return _trust_new(request)
    form = SchoolForm(request.POST or None, request.FILES or None, trusts=trusts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            school = services.school_create(actor=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{school.name} is set up. Invite its staff next.")
            return redirect(f"{reverse('setup:staff_invite')}?school={school.pk}")
    return render(request, "conduct/setup/school_form.html", {"form": form})


def _trust_new(request):
    """A brand-new installation has no trust yet: name it first, then the schools follow."""
    form = TrustForm(request.POST or None)
    if request.method == "POST" and "name" in request.POST and form.is_valid():
        try:
            services.trust_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The trust is set up. Now add its first school.")
            return redirect("setup:school_new")
    return render(request, "conduct/setup/trust_form.html", {"form": form})


@trust_admin_required
def school_edit(request, pk):
    school = get_object_or_404(School, pk=pk)
    # The form validates its own copy: a refused edit must not show as the school's name above it.
    form = SchoolForm(request.POST or None, request.FILES or None, instance=School.objects.get(pk=pk), editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.school_update(actor=request.user, school=school, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{school.name}: saved.")
            return redirect("setup:index")
    return render(request, "conduct/setup/school_form.html", {"form": form, "school": school})


@trust_admin_required
def trust_complaint_days(request, pk):
    """How many calendar days the trust's complaints procedure gives each stage of a complaint."""
    trust = get_object_or_404(Trust, pk=pk)
    form = ComplaintDaysForm(request.POST or None, instance=Trust.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_complaint_days_update(actor=request.user, trust=trust, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{trust.name}: the days per complaint stage are saved.")
            return redirect("setup:index")
    return render(request, "conduct/setup/complaint_days.html", {"form": form, "trust": trust})


# Who may remove a person from the premises (section 547) ---------------------------------


def _authorisations(school, today):
    # Those who may still act (now or from a later day) first, by name; then the ended, latest first.
    ended_on = Case(When(authorised_until__lt=today, then=F("authorised_until")), default=None)
    return (AuthorisedPerson.objects.filter(school=school).select_related("added_by").annotate(ended_on=ended_on)
            .order_by(F("ended_on").desc(nulls_first=True), Lower("name"), "pk"))


def _end_form(person, data=None):
    # One form per row: ids carry the row's number, so no two inputs on the page share one.
    return AuthorisedPersonEndForm(data, auto_id=f"id_end_{person.pk}_%s")


@trust_admin_required
def authorised_people(request, pk):
    school = get_object_or_404(School, pk=pk)
    form = AuthorisedPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.authorised_person_add(actor=request.user, school=school, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{person.name} is recorded as authorised at {school.name}.")
            return redirect("setup:authorised_people", pk=school.pk)
    today = timezone.localdate()
    page = CappedPaginator(_authorisations(school, today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(person, None if person.authorised_until else _end_form(person)) for person in page]
    return render(request, "conduct/setup/authorised_people.html", {
        "school": school, "form": form, "page": page, "rows": rows, "today": today,
        "authorised": people_authorised_on([school.pk], today)[school.pk],
    })


@trust_admin_required
@require_POST
def authorised_person_end(request, pk, ap_pk):
    person = get_object_or_404(AuthorisedPerson.objects.select_related("school"), pk=ap_pk, school_id=pk)
    form = _end_form(person, request.POST)
    if form.is_valid():
        try:
            services.authorised_person_end(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{person.name}'s authorisation is ended.")
            return redirect("setup:authorised_people", pk=pk)
    return render(request, "conduct/setup/authorised_person_end.html", {"person": person, "form": form})


# Staff ----------------------------------------------------------------------------------


def _with_roles(users):
    roles = StaffRole.objects.select_related("school").order_by("school__name", "role")
    return users.prefetch_related(Prefetch("staff_roles", queryset=roles))


@trust_admin_required
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    users = get_user_model().objects.all()
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
                                 | Q(username__icontains=q))
        if school := form.cleaned_data["school"]:
            users = users.filter(pk__in=StaffRole.objects.filter(school=school).values("user_id"))
    users = _with_roles(users.order_by("-is_active", "last_name", "first_name", "pk"))
    page = CappedPaginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "conduct/setup/staff_list.html", {"form": form, "page": page, "query": query.urlencode()})


@trust_admin_required
def staff_invite(request):
    initial = {}
    if school_id := soft_id(request.GET, "school"):
        initial["schools"] = School.objects.filter(pk=school_id)
    form = StaffInviteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_invite(actor=request.user, name=form.cleaned_data["name"],
                                         email=form.cleaned_data["email"], grants=form.grants())
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("setup:staff_detail", pk=user.pk)
    return render(request, "conduct/setup/staff_invite.html", {"form": form, "days": INVITATION_DAYS})


def _staff_member(pk):
    return get_object_or_404(_with_roles(get_user_model().objects.all()), pk=pk)


@trust_admin_required
def staff_detail(request, pk):
    member = _staff_member(pk)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            for role, school in form.grants():
                services.staff_role_grant(actor=request.user, user=member, role=role, school=school)
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Role given.")
            return redirect("setup:staff_detail", pk=member.pk)
    return render(request, "conduct/setup/staff_detail.html", {
        "member": member, "form": form, "is_self": member.pk == request.user.pk,
        "can_change": member.pk != request.user.pk and (request.user.is_superuser or not member.is_superuser),
        "authenticators": TOTPDevice.objects.filter(user=member, confirmed=True).count(),
    })


@trust_admin_required
@require_POST
def role_revoke(request, pk):
    staff_role = get_object_or_404(StaffRole.objects.select_related("user", "school"), pk=pk)
    try:
        services.staff_role_revoke(actor=request.user, staff_role=staff_role)
    except (ValidationError, PermissionDenied) as error:
        _show_refusal(request, error)
    else:
        messages.success(request, f"{staff_role.get_role_display()} removed.")
    return redirect("setup:staff_detail", pk=staff_role.user_id)


@trust_admin_required
@require_POST
def staff_reinvite(request, pk):
    member = _staff_member(pk)
    try:
        services.staff_reinvite(actor=request.user, user=member)
    except (ValidationError, PermissionDenied) as error:
        _show_refusal(request, error)
    else:
        messages.success(request, f"A new invitation was sent to {member.email}.")
    return redirect("setup:staff_detail", pk=member.pk)


@trust_admin_required
@require_POST
def staff_authenticators_reset(request, pk):
    member = _staff_member(pk)
    try:
        services.staff_authenticators_reset(actor=request.user, user=member)
    except (ValidationError, PermissionDenied) as error:
        _show_refusal(request, error)
    else:
        messages.success(request, "Their authenticator apps are removed: they set up a new one at their next login.")
    return redirect("setup:staff_detail", pk=member.pk)


@trust_admin_required
def staff_deactivate(request, pk):
    member = _staff_member(pk)
    if request.method == "POST":
        try:
            services.staff_deactivate(actor=request.user, user=member)
        except (ValidationError, PermissionDenied) as error:
            _show_refusal(request, error)
        else:
            messages.success(request, f"{member.get_full_name() or member.username} is deactivated and signed out.")
        return redirect("setup:staff_detail", pk=member.pk)
    return render(request, "conduct/setup/staff_deactivate.html", {"member": member})


# Import ---------------------------------------------------------------------------------


def _sign(request, text: str) -> str:
    # Signed for this administrator: the preview's file cannot be swapped, nor confirmed by anyone else.
    return signing.dumps({"actor": request.user.pk, "text": text}, salt=IMPORT_SALT, compress=True)


def _unsign(request, value: str) -> str | None:
    try:
        data = signing.loads(value, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    return data["text"] if data.get("actor") == request.user.pk else None


def _preview(request, text, staff_file, status=200):
    return render(request, "conduct/setup/staff_import_preview.html", {
        "staff_file": staff_file, "payload": _sign(request, text) if staff_file.ok else "",
    }, status=status)


@trust_admin_required
def staff_import(request):
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        return _preview(request, text, read_staff_csv(text, actor=request.user))
    return render(request, "conduct/setup/staff_import.html", {"form": form, "roles": Role.choices})


@trust_admin_required
@require_POST
def staff_import_confirm(request):
    text = _unsign(request, request.POST.get("payload", ""))
    if text is None:
        messages.error(request, "That preview has expired or was changed. Upload the file again.")
        return redirect("setup:staff_import")
    try:
        invited, granted = services.staff_import(actor=request.user, content=text.encode("utf-8"))
    except services.StaffImportRefused as refused:
        # Someone changed a role or an account since the preview: show the rows as they are now.
        messages.error(request, "Nothing was imported: the file has problems now.")
        return _preview(request, text, refused.staff_file)
    messages.success(request, f"Imported: {len(invited)} invited, {len(granted)} role"
                              f"{'s' if len(granted) != 1 else ''} given to existing accounts.")
    return redirect("setup:staff_list")
