"""How letters address and greet a person: title and surname, an override, or the full name."""

import pytest

from incidents.models import Person


@pytest.mark.parametrize(("title", "full_name", "salutation", "greeting", "addressee"), [
    ("Ms", "Lisa Stone", "", "Ms Stone", "Ms Lisa Stone"),
    ("Dr", "Ade Okafor-Hale", "", "Dr Okafor-Hale", "Dr Ade Okafor-Hale"),
    ("", "Lisa Stone", "", "Lisa Stone", "Lisa Stone"),
    ("Mr", "Mark Brown", "Mr and Mrs Brown", "Mr and Mrs Brown", "Mr Mark Brown"),
    ("", "Sam Lee", "  Sam  ", "Sam", "Sam Lee"),
])
def test_greeting_and_addressee(title, full_name, salutation, greeting, addressee):
    person = Person(title=title, full_name=full_name, salutation=salutation)
    assert person.greeting == greeting
    assert person.addressee == addressee
