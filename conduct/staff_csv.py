"""Read a staff CSV file (name, email, school, role) and say what each row would do.

Nothing here writes: the preview and the import both call `read_staff_csv`,
so the rows the administrator saw are checked again, against the database as
it is then, before anything is saved. Cells are kept as the text they are: a
name that looks like a spreadsheet formula ("=HYPERLINK(...)") is a name,
stored and shown as typed, never evaluated.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from conduct.models import School, StaffRole
from conduct.roles import TRUST_WIDE_ROLES, Role

MAX_BYTES = 256 * 1024
MAX_ROWS = 1000
COLUMNS = ("name", "email", "school", "role")
NAME_MAX = 150


@dataclass
class StaffRow:
    line: int
    name: str
    email: str
    school_code: str
    role_text: str
    role: str = ""
    school: School | None = None
    user: object = None  # the existing account with this email, if any
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def where(self) -> str:
        return self.school.code if self.school else "all schools"

    @property
    def result(self) -> str:
        if self.errors:
            return "; ".join(self.errors)
        label = Role(self.role).label
        if self.user is None:
            return f"Will invite {self.name} <{self.email}> as {label} at {self.where}."
        return f"Will give {self.user.get_full_name() or self.user.get_username()} <{self.email}> " \
               f"the role {label} at {self.where}."


@dataclass
class StaffFile:
    rows: list
    errors: list  # problems with the file as a whole

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and all(row.ok for row in self.rows)

    @property
    def bad_lines(self) -> list:
        return [row.line for row in self.rows if not row.ok]


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 with or without a byte order mark, at most MAX_BYTES."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"The file is {len(raw) // 1024} KB; a staff file can be at most {MAX_BYTES // 1024} KB "
                              f"({MAX_ROWS} rows). Split it and import each part.", code="too_large")
    if not raw.strip():
        raise ValidationError("The file is empty.", code="empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” when you save it.",
                              code="encoding") from error


def email_problem(email: str) -> str:
    """Why this email cannot be a new account's, or "": the email is also the username people sign in with."""
    if not email:
        return "the email is missing"
    try:
        validate_email(email)
        if len(email) > 150:
            raise ValidationError("too long")
    except ValidationError:
        return f"“{email[:80]}” is not an email address"
    try:
        get_user_model().username_validator(email)
    except ValidationError:
        # Checked here, not only when the account is saved, so the preview never promises
        # an invitation that the import would then refuse.
        return (f"“{email[:80]}” cannot be used to sign in: an email for Conduct may hold only "
                "letters, digits and @ . + - _")
    return ""


def _role_from(text: str) -> str:
    wanted = text.strip().casefold()
    for role in Role:
        if wanted in (role.value, role.label.casefold()):
            return role.value
    return ""


def _records(text: str):
    """(line number, cells) for each record; a quoted cell may span lines, so the reader counts them."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValidationError(f"Line {reader.line_num + 1} cannot be read as CSV ({error}).", code="csv") from error


def _header(cells) -> list | None:
    names = [c.strip().casefold() for c in cells]
    return names if sorted(names) == sorted(COLUMNS) else None


def read_staff_csv(text: str, *, actor) -> StaffFile:
    records = _records(text)
    try:
        _line, first = next(records)
    except StopIteration:
        return StaffFile(rows=[], errors=["The file is empty."])
    except ValidationError as error:
        return StaffFile(rows=[], errors=error.messages)
    header = _header(first)
    if header is None:
        return StaffFile(rows=[], errors=[
            "The first line must name the columns: name, email, school, role (in any order)."])
    rows = []
    try:
        for line, cells in records:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) == MAX_ROWS:
                return StaffFile(rows=[], errors=[f"The file has more than {MAX_ROWS} rows. Split it."])
            rows.append(_row(line, cells, header))
    except ValidationError as error:
        return StaffFile(rows=rows, errors=error.messages)
    if not rows:
        return StaffFile(rows=[], errors=["The file has a header but no staff rows."])
    _check_against_database(rows, actor)
    _check_within_file(rows)
    return StaffFile(rows=rows, errors=[])


def _row(line, cells, header) -> StaffRow:
    if len(cells) != len(COLUMNS):
        row = StaffRow(line=line, name="", email="", school_code="", role_text="")
        row.errors.append(f"has {len(cells)} cells; each row needs {len(COLUMNS)} (name, email, school, role)")
        return row
    values = dict(zip(header, cells, strict=True))
    row = StaffRow(line=line, name=values["name"].strip(), email=values["email"].strip().lower(),
                   school_code=values["school"].strip(), role_text=values["role"].strip())
    if not row.name:
        row.errors.append("the name is missing")
    elif len(row.name) > NAME_MAX or any(not ch.isprintable() for ch in row.name):
        row.errors.append(f"the name must be one line of at most {NAME_MAX} characters")
    if problem := email_problem(row.email):
        row.errors.append(problem)
    row.role = _role_from(row.role_text)
    if not row.role:
        row.errors.append(f"unknown role “{row.role_text[:40]}”: use one of {', '.join(r.value for r in Role)}")
    return row


def _check_against_database(rows, actor) -> None:
    """Schools, existing accounts and their roles, in three queries whatever the file's length."""
    schools = {}
    for school in School.objects.all():
        schools.setdefault(_code_key(school.code), []).append(school)
    emails = {row.email for row in rows if row.email}
    accounts = {}
    for user in get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails):
        accounts.setdefault(user.email_lower, []).append(user)
    held = set(StaffRole.objects.filter(user__in=[u for us in accounts.values() for u in us])
               .values_list("user_id", "school_id", "role"))
    for row in rows:
        if row.role in TRUST_WIDE_ROLES:
            if row.school_code:
                row.errors.append(f"{Role(row.role).label} is a trust-wide role: leave the school empty")
        elif row.role:
            if not row.school_code:
                row.errors.append("the school code is missing")
            else:
                found = schools.get(_code_key(row.school_code), [])
                if len(found) == 1:
                    row.school = found[0]
                else:
                    row.errors.append(f"unknown school code “{row.school_code[:20]}”" if not found else
                                      "more than one school has this code: give the role on the person's page")
        found = accounts.get(row.email, [])
        if len(found) > 1:
            row.errors.append("more than one account has this email: give the role on the person's page instead")
            continue
        if not found:
            continue
        row.user = found[0]
        if row.user.pk == actor.pk:
            row.errors.append("that is your own account: another administrator must change your roles")
        elif row.user.is_superuser and not actor.is_superuser:
            row.errors.append("that account is a superuser's: only a superuser may change it")
        elif not row.user.is_active:
            row.errors.append("that account is deactivated")
        elif row.role and (row.user.pk, row.school.pk if row.school else None, row.role) in held:
            row.errors.append(f"already has the role {Role(row.role).label} at {row.where}")


def _code_key(code: str) -> str:
    # The database holds codes unique under ASCII lower case (Lower() on SQLite and PostgreSQL
    # alike); Unicode case folding would match more ("ß" is "ss", the Kelvin sign "k").
    return code.lower() if code.isascii() else code


def _check_within_file(rows) -> None:
    first_line = {}
    name_of = {}
    for row in rows:
        if not row.email:
            continue
        key = (row.email, _code_key(row.school_code), row.role)
        if key in first_line:
            row.errors.append(f"repeats line {first_line[key]}")
        else:
            first_line[key] = row.line
        if row.user is None and row.name:
            earlier = name_of.setdefault(row.email, (row.name, row.line))
            if earlier[0] != row.name:
                row.errors.append(f"line {earlier[1]} gives this email the name “{earlier[0]}”")
