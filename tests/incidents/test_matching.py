"""incidents.matching: whether a record typed may be one already known (the duplicate guard, the trust's check)."""

from incidents.matching import candidates, names_alike, normalise_name, phone_key
from incidents.models import Person, Relationship
from incidents.services import person_create


def _person(personas, school, name, *, email="", phone="", aliases=()):
    return person_create(actor=personas["office"], school=school, full_name=name, relationship=Relationship.PARENT,
                         email=email, phone=phone, aliases=[{"name": a, "note": ""} for a in aliases])


def test_names_are_compared_without_titles_accents_punctuation_or_word_order():
    assert normalise_name("Mr  Craig  O'Hollis-Smith") == "craig ohollis smith"
    assert normalise_name("Zoë Brontë") == "zoe bronte"
    assert names_alike("Mrs Craig Hollis", "craig hollis")
    assert names_alike("Hollis Craig", "Craig Hollis")
    assert names_alike("Craig Hollies", "Craig Hollis")
    assert not names_alike("Craig Hollis", "Karen Holt")
    assert not names_alike("", "")


def test_phone_numbers_are_compared_as_digits():
    assert phone_key("+44 7700 900123") == phone_key("07700 900123") == "07700900123"


def test_a_like_name_an_alias_an_email_or_a_phone_is_a_candidate(personas, school):
    craig = _person(personas, school, "Craig Hollis")
    by_email = _person(personas, school, "Someone Else", email="C.Hollis@Example.com")
    by_phone = _person(personas, school, "Another Person", phone="07700 900123")
    by_alias = _person(personas, school, "Jason Reid", aliases=["Craig Hollis"])
    _person(personas, school, "Karen Holt")
    found = candidates(Person.objects.all(), name="Craig Hollis", email="c.hollis@example.com",
                       phone="+44 7700 900123", alias_school_ids=[school.pk])
    by_pk = {m.person.pk: m for m in found}
    assert set(by_pk) == {craig.pk, by_email.pk, by_phone.pk, by_alias.pk}
    assert (by_pk[craig.pk].same_name, by_pk[craig.pk].same_contact) == (True, False)
    assert by_pk[by_email.pk].same_contact and not by_pk[by_email.pk].same_name
    assert by_pk[by_phone.pk].why == "contact details"
    assert by_pk[by_alias.pk].alias == "Craig Hollis" and "as “Craig Hollis”" in by_pk[by_alias.pk].why
    # The name first (with contact details first of all), then contact details alone.
    assert found[0].person == craig


def test_another_schools_alias_and_people_outside_the_queryset_are_not_candidates(personas, school, other_school):
    person_create(actor=personas["other_office"], school=other_school, full_name="Jason Reid",
                  relationship=Relationship.PARENT, aliases=[{"name": "Craig Hollis", "note": ""}])
    elsewhere = person_create(actor=personas["other_office"], school=other_school, full_name="Craig Hollis",
                              relationship=Relationship.PARENT)
    here = Person.objects.exclude(pk=elsewhere.pk)
    assert candidates(here, name="Craig Hollis", alias_school_ids=[school.pk]) == []


def test_a_few_digits_are_not_a_phone_match(personas, school):
    _person(personas, school, "Pat Short", phone="12")
    assert candidates(Person.objects.all(), name="Nobody Like", phone="12") == []


def test_many_people_of_the_same_surname_do_not_hide_the_one_typed(personas, school, monkeypatch):
    monkeypatch.setattr("incidents.matching.CANDIDATES_PER_WAY", 3)
    for first in ("Aaron", "Abel", "Adam", "Alan", "Alex"):
        _person(personas, school, f"{first} Smith")
    john = _person(personas, school, "John Smith")
    found = candidates(Person.objects.all(), name="John Smith")
    assert [m.person for m in found if m.same_name] == [john]


def test_exclude_ids_and_hostile_input(personas, school):
    craig = _person(personas, school, "Craig Hollis")
    assert candidates(Person.objects.all(), name="Craig Hollis", exclude_ids=[craig.pk]) == []
    for text in ('"', "%", "a" * 5000, "\x00craig", "' OR 1=1 --", "NEAR(a b)", "*"):
        candidates(Person.objects.all(), name=text, email=text, phone=text, alias_school_ids=[school.pk])
