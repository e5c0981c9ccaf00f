from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conduct import staff_csv
from conduct.models import (
    AUTHORISED_DATE_MAX,
    AUTHORISED_DATE_MIN,
    AuthorisedPerson,
    School,
    Trust,
    authorised_date_problem,
)
from conduct.params import IdChoiceField, IdMultipleChoiceField
from conduct.roles import TRUST_WIDE_ROLES, Role
from conduct.services import LOGO_MAX_BYTES, SCHOOL_FIELDS
from conduct.uploads import IMAGES, IMAGES_DESCRIPTION, check_image


class _Crispy:
    """Crispy lays the fields out; the template writes the form tag and buttons."""

    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SchoolForm(_Crispy, forms.ModelForm):
    logo = forms.ImageField(
        required=False,
        help_text=f"For the letterhead: {IMAGES_DESCRIPTION}, at most {LOGO_MAX_BYTES // 1024 // 1024} MB.",
        # Not ClearableFileInput: it links to the stored file, and no URL serves uploads.
        widget=forms.FileInput(attrs={"accept": ",".join(sorted({ct for ct, _ in IMAGES.values()}))}),
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = School
        fields = ["trust", "code", *SCHOOL_FIELDS]
        widgets = {"address": forms.Textarea(attrs={"rows": 4}), "site_contact": forms.TextInput()}
        help_texts = {"code": "Short code used in case references, e.g. ASP. It cannot change later.",
                      "address": "As it appears on the letterhead.",
                      "email": "The school office's address: replies to emailed letters come here.",
                      "letter_from_email": "The sender of letters Conduct emails to parents, e.g. "
                                           "letters@school.example.org (the mail server must be allowed to send "
                                           "as it). Leave empty to send from the trust's address "
                                           "(DEFAULT_FROM_EMAIL)."}

    def __init__(self, *args, editing=False, trusts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        if editing:
            # The code is in every case reference already issued, and the school stays in its trust.
            del self.fields["code"]
            del self.fields["trust"]
            if not self.instance.logo:
                del self.fields["remove_logo"]
        else:
            self.fields["trust"].queryset = trusts
            if trusts.count() == 1:
                self.fields["trust"].initial = trusts.first().pk
                self.fields["trust"].widget = forms.HiddenInput()
            self.fields["trust"].empty_label = None
            del self.fields["remove_logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            check_image(logo, max_bytes=LOGO_MAX_BYTES)
        return logo


class DayInput(forms.DateInput):
    """The browser's date picker, bounded as the authorisation dates are."""

    input_type = "date"

    def __init__(self, **kwargs):
        attrs = {"min": AUTHORISED_DATE_MIN.isoformat(), "max": AUTHORISED_DATE_MAX.isoformat()}
        super().__init__(format="%Y-%m-%d", attrs=attrs | kwargs.pop("attrs", {}), **kwargs)


def _authorised_bounds(day) -> None:
    if problem := authorised_date_problem(day):
        raise ValidationError(problem, code="date_range")


def _authorised_day(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DayInput(attrs=kwargs.pop("attrs", {})), initial=timezone.localdate,
                           validators=[_authorised_bounds], **kwargs)


_NAME_MAX = AuthorisedPerson._meta.get_field("name").max_length
_ROLE_MAX = AuthorisedPerson._meta.get_field("role").max_length


class AuthorisedPersonForm(_Crispy, forms.Form):
    name = forms.CharField(max_length=_NAME_MAX, help_text="Their full name, as reception would ask for them.")
    role = forms.CharField(max_length=_ROLE_MAX, help_text="Their post, e.g. Site manager or Deputy head.")
    authorised_from = _authorised_day("Authorised from", help_text="The day the trust's authorisation began.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class AuthorisedPersonEndForm(forms.Form):
    """One line in the list's row: the last day of the authorisation, today unless changed."""

    authorised_until = _authorised_day("Last day authorised", attrs={"class": "form-control form-control-sm"})


class TrustForm(_Crispy, forms.Form):
    name = forms.CharField(label="The trust's name", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ComplaintDaysForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Trust
        fields = ["complaint_informal_days", "complaint_formal_days", "complaint_panel_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class _RoleChoice(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    schools = IdMultipleChoiceField(
        queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Every school where they hold this role. Leave empty for a trust-wide role "
                  f"({', '.join(Role(r).label for r in sorted(TRUST_WIDE_ROLES))}).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        role, schools = data.get("role"), data.get("schools")
        if role in TRUST_WIDE_ROLES and schools:
            self.add_error("schools", f"{Role(role).label} is a trust-wide role: choose no school.")
        elif role and role not in TRUST_WIDE_ROLES and not schools and "schools" not in self.errors:
            self.add_error("schools", f"Choose the schools where they are {Role(role).label}.")
        return data

    def grants(self) -> list:
        role = self.cleaned_data["role"]
        if role in TRUST_WIDE_ROLES:
            return [(role, None)]
        return [(role, school) for school in self.cleaned_data["schools"]]


class StaffInviteForm(_RoleChoice):
    name = forms.CharField(max_length=staff_csv.NAME_MAX, help_text="Their full name, as colleagues know it.")
    email = forms.EmailField(max_length=150, help_text="The invitation goes here; it is also their username.")
    field_order = ["name", "email", "role", "schools"]


class RoleGrantForm(_RoleChoice):
    pass


class StaffImportForm(_Crispy, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, first line name,email,school,role; at most {staff_csv.MAX_ROWS} rows "
                  f"and {staff_csv.MAX_BYTES // 1024} KB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading: a huge file never reaches memory.
        if upload.size > staff_csv.MAX_BYTES:
            raise ValidationError(f"The file is {upload.size // 1024} KB; a staff file can be at most "
                                  f"{staff_csv.MAX_BYTES // 1024} KB. Split it and import each part.")
        return staff_csv.decode(upload.read())


class StaffFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
    school = IdChoiceField(queryset=School.objects.order_by("name"), required=False,
                                    empty_label="Any school")
