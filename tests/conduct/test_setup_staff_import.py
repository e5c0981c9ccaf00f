"""Importing staff from a CSV file: a preview of every row, then all rows or none."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conduct import services, staff_csv
from conduct.models import StaffRole
from conduct.roles import Role

URL = reverse("setup:staff_import")
CONFIRM = reverse("setup:staff_import_confirm")
GOOD = ("name,email,school,role\n"
        "Alex Head,alex@example.org,one,head\n"
        "Alex Head,alex@example.org,two,senior\n"
        "Tess Trust,tess@example.org,,trust\n"
        "Office Person,office@example.org,two,office\n")


def _upload(client, text, name="staff.csv", encoding="utf-8"):
    raw = text.encode(encoding) if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def _confirm(client, preview, capture):
    payload = re.search(r'name="payload" value="([^"]+)"', preview.content.decode()).group(1)
    with capture(execute=True):
        return client.post(CONFIRM, {"payload": payload})


def _users():
    return set(get_user_model().objects.values_list("username", flat=True))


def test_only_the_administrator_and_a_superuser_see_the_pages(statuses, admin_client, superuser_client):
    for url in (URL, CONFIRM):
        found = statuses(url)
        assert found == {name: 302 if name in ("anonymous", "inactive") else 404 for name in found}, url
    assert admin_client.get(URL).status_code == 200
    assert superuser_client.get(URL).status_code == 200


def test_the_preview_shows_every_row_and_saves_nothing(admin_client, personas):
    before = _users(), StaffRole.objects.count()
    response = _upload(admin_client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Will invite Alex Head &lt;alex@example.org&gt; as Head at one." in page
    assert "Will invite Alex Head &lt;alex@example.org&gt; as Senior leader at two." in page
    assert "Will invite Tess Trust &lt;tess@example.org&gt; as Trust (read-only, all schools) at all schools." in page
    assert "Will give Office &lt;office@example.org&gt; the role Office at two." in page
    assert 'name="payload"' in page
    assert (_users(), StaffRole.objects.count()) == before


def test_confirming_imports_every_row_with_one_email_per_new_person(admin_client, trust_admin, personas,
                                                                   django_capture_on_commit_callbacks):
    response = _confirm(admin_client, _upload(admin_client, GOOD), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("setup:staff_list")
    alex = get_user_model().objects.get(email="alex@example.org")
    assert set(alex.staff_roles.values_list("school__code", "role")) == {("one", "head"), ("two", "senior")}
    assert StaffRole.objects.get(user__email="tess@example.org").school is None
    assert personas["office"].staff_roles.filter(school__code="two", role=Role.OFFICE).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.org", "tess@example.org"]
    assert all(r.history.get().history_user == trust_admin for r in alex.staff_roles.all())


def test_one_bad_row_imports_nothing_and_the_preview_names_its_line(admin_client, personas,
                                                                   django_capture_on_commit_callbacks):
    bad = GOOD + "Nobody,nobody@example.org,zzz,head\n"
    before = _users(), StaffRole.objects.count()
    response = _upload(admin_client, bad)
    page = response.content.decode()
    assert "<strong>Line 6:</strong> unknown school code “zzz”" in page
    assert "1 row has problems: line 6." in page
    assert 'name="payload"' not in page, "no way to confirm a file with a bad row"
    assert (_users(), StaffRole.objects.count()) == before and mail.outbox == []


@pytest.mark.parametrize(("row", "error"), [
    ("Pat,pat@example.org,one,wizard", "unknown role “wizard”"),
    ("Pat,not-an-email,one,office", "“not-an-email” is not an email address"),
    (",pat@example.org,one,office", "the name is missing"),
    ("Pat,pat@example.org,,office", "the school code is missing"),
    ("Pat,pat@example.org,one,dpo", "is a trust-wide role: leave the school empty"),
    ("Pat,pat@example.org,one", "has 3 cells; each row needs 4"),
    ("Office,office@example.org,one,office", "already has the role Office at one"),
    ("Gone,inactive@example.org,one,office", "account is deactivated"),
    ("Alex Head,alex@example.org,one,head", "repeats line 2"),
    ("Alexandra Head,alex@example.org,two,office", "line 2 gives this email the name “Alex Head”"),
    ("Me,it@trust.example.org,one,head", "that is your own account"),
])
def test_each_kind_of_bad_row_is_named_with_its_line(admin_client, trust_admin, personas, row, error):
    personas["inactive"].email = "inactive@example.org"
    personas["inactive"].save()
    text = "name,email,school,role\nAlex Head,alex@example.org,one,head\n" + row + "\n"
    staff_file = staff_csv.read_staff_csv(text, actor=trust_admin)
    assert not staff_file.ok
    assert staff_file.bad_lines == [3]
    assert error in staff_file.rows[1].result
    assert error in _upload(admin_client, text).content.decode().replace("&lt;", "<").replace("&gt;", ">")


def test_roles_by_their_label_codes_in_any_case_and_a_byte_order_mark(trust_admin, personas):
    text = "\ufeffEmail,Name,Role,School\nalex@example.org,Alex Head,Senior leader,ONE\n"
    staff_file = staff_csv.read_staff_csv(staff_csv.decode(text.encode("utf-8")), actor=trust_admin)
    assert staff_file.ok, [r.result for r in staff_file.rows]
    assert (staff_file.rows[0].role, staff_file.rows[0].school.code) == (Role.SENIOR, "one")


@pytest.mark.parametrize(("raw", "error"), [
    (b"Alex Head,alex@example.org,one,head\n", "The first line must name the columns"),
    (b"name,email,school,role\n", "a header but no staff rows"),
    (b"", "file is empty"),
    ("name,email,school,role\nJos\xe9,jose@example.org,one,head\n".encode("latin-1"), "not UTF-8"),
    (b'name,email,school,role\n"Alex,alex@example.org,one,head\n', "cannot be read as CSV"),
], ids=["no-header", "no-rows", "empty", "latin-1", "broken-quotes"])
def test_a_bad_file_changes_nothing(admin_client, personas, raw, error):
    before = _users(), StaffRole.objects.count()
    response = _upload(admin_client, raw)
    assert response.status_code == 200 and error in response.content.decode()
    assert 'name="payload"' not in response.content.decode()
    assert (_users(), StaffRole.objects.count()) == before


def test_an_oversized_file_is_refused_before_it_is_read(admin_client, personas):
    raw = (GOOD + "x" * staff_csv.MAX_BYTES).encode()
    response = _upload(admin_client, raw)
    assert response.status_code == 200 and "a staff file can be at most 256 KB" in response.content.decode()


def test_too_many_rows_are_refused(trust_admin, personas):
    rows = "".join(f"P{n},p{n}@example.org,one,office\n" for n in range(staff_csv.MAX_ROWS + 1))
    staff_file = staff_csv.read_staff_csv("name,email,school,role\n" + rows, actor=trust_admin)
    assert not staff_file.ok and "more than 1000 rows" in staff_file.errors[0]


def test_formula_looking_cells_are_kept_as_text_and_shown_escaped(admin_client, personas,
                                                                  django_capture_on_commit_callbacks):
    name = '=HYPERLINK("http://evil.example/","<b>Click</b>")'
    text = f'name,email,school,role\n"{name.replace(chr(34), chr(34) * 2)}",formula@example.org,one,office\n'
    preview = _upload(admin_client, text)
    assert "<b>Click</b>" not in preview.content.decode() and "&lt;b&gt;Click&lt;/b&gt;" in preview.content.decode()
    _confirm(admin_client, preview, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email="formula@example.org")
    assert user.get_full_name() == name


def test_the_rows_are_checked_again_on_confirm(admin_client, trust_admin, personas,
                                               django_capture_on_commit_callbacks):
    preview = _upload(admin_client, GOOD)
    # Between the preview and the confirmation someone gives office the role the file would give.
    services.staff_role_grant(actor=trust_admin, user=personas["office"], role=Role.OFFICE,
                              school=personas["other_office"].staff_roles.get().school)
    before = _users(), StaffRole.objects.count()
    response = _confirm(admin_client, preview, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "<strong>Line 5:</strong> already has the role Office at two" in response.content.decode()
    assert (_users(), StaffRole.objects.count()) == before and mail.outbox == []


def test_a_changed_or_borrowed_payload_is_refused(admin_client, superuser, personas):
    preview = _upload(admin_client, GOOD)
    payload = re.search(r'name="payload" value="([^"]+)"', preview.content.decode()).group(1)
    before = _users()
    assert admin_client.post(CONFIRM, {"payload": payload[:-2] + "xx"})["Location"] == URL
    other = Client()
    other.force_login(superuser)
    assert other.post(CONFIRM, {"payload": payload})["Location"] == URL, "signed for the administrator who uploaded"
    assert _users() == before


def _school_with_code(code, trust):
    from conduct.models import School
    return School.objects.create(trust=trust, code=code, name=f"School {code}", address="a", phone="1",
                                 email="o@example.org", head_name="h", chair_name="c")


@pytest.mark.parametrize("typed", ["ss", "SS", "Ss"])
def test_a_school_code_in_any_case_names_that_one_school(trust_admin, personas, trust, typed):
    school = _school_with_code("ss", trust)
    staff_file = staff_csv.read_staff_csv(f"name,email,school,role\nAl,al@example.org,{typed},head\n",
                                          actor=trust_admin)
    assert staff_file.ok, [r.result for r in staff_file.rows]
    assert staff_file.rows[0].school == school


@pytest.mark.parametrize("typed", ["ß", "\u212a1", "\u0130T"], ids=["sharp-s", "kelvin-sign", "dotted-I"])
def test_a_code_that_only_unicode_case_folding_matches_names_no_school(trust_admin, personas, trust, typed):
    # The codes are ASCII and unique ignoring ASCII case (the database's rule): "ß" is not "ss",
    # the Kelvin sign is not "k".
    for code in ("ss", "k1", "it"):
        _school_with_code(code, trust)
    staff_file = staff_csv.read_staff_csv(f"name,email,school,role\nAl,al@example.org,{typed},head\n",
                                          actor=trust_admin)
    assert staff_file.rows[0].school is None
    assert "unknown school code" in staff_file.rows[0].result


@pytest.mark.parametrize("email", ["o'brien@example.org", "{x}@example.org", "a/b@example.org"])
def test_an_email_that_cannot_be_a_sign_in_name_is_refused_in_the_preview_not_on_confirm(
        admin_client, trust_admin, personas, email, django_capture_on_commit_callbacks):
    # The username is the email; Django's usernames allow letters, digits and @ . + - _ only.
    text = f"name,email,school,role\nPat O Brien,{email},one,office\n"
    preview = _upload(admin_client, text)
    assert preview.status_code == 200
    assert "cannot be used to sign in" in preview.content.decode()
    assert 'name="payload"' not in preview.content.decode()
    with pytest.raises(services.StaffImportRefused):
        services.staff_import(actor=trust_admin, content=text.encode())
    assert not get_user_model().objects.filter(email=email).exists()
