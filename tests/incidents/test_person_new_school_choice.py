"""/people/new/ for staff with roles at two schools: they choose the school; with one school, no choice."""

from conduct.models import StaffRole
from conduct.roles import Role
from incidents.models import Person


def _post(client, **extra):
    return client.post("/people/new/", {"title": "Ms", "full_name": "Lisa Stone", "relationship": "parent",
                                        "address": "", "phone": "", "email": "", "notes": "", "pupil_names": "",
                                        **extra})


def test_staff_at_one_school_see_no_school_choice(client_as):
    page = client_as("office").get("/people/new/")
    assert "school" not in page.context["form"].fields
    _post(client_as("office"))
    assert Person.objects.get(full_name="Lisa Stone").added_at_school.code == "one"


def test_staff_at_two_schools_choose_the_school(client_as, personas, other_school):
    StaffRole.objects.create(user=personas["head"], school=other_school, role=Role.HEAD)
    client = client_as("head")
    assert "school" in client.get("/people/new/").context["form"].fields
    missing = _post(client)
    assert missing.status_code == 200 and "school" in missing.context["form"].errors
    assert missing.context["form"]["full_name"].value() == "Lisa Stone"  # nothing typed is lost
    assert not Person.objects.exists()
    _post(client, school=other_school.pk)
    person = Person.objects.get(full_name="Lisa Stone")
    assert person.added_at_school == other_school and person.title == "Ms"


def test_a_school_the_user_does_not_work_at_is_refused(client_as, personas, other_school, school):
    StaffRole.objects.create(user=personas["chair"], school=other_school, role=Role.CHAIR)
    StaffRole.objects.create(user=personas["office"], school=other_school, role=Role.CHAIR)
    # office writes only at the first school, so there is no choice and the other school cannot be forced in.
    _post(client_as("office"), school=other_school.pk)
    assert Person.objects.get().added_at_school == school
