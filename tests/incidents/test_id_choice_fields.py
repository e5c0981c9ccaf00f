"""Id fields refuse anything that is not a plain ASCII number before the database sees it."""

import pytest

from conduct.twofactor import TokenForm
from incidents.forms import IncidentFilterForm


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30, "-1", "0", "1.5"])
def test_a_category_that_is_not_an_ascii_id_is_refused_not_a_crash(value):
    form = IncidentFilterForm({"category": value})
    assert not form.is_valid()
    assert "category" in form.errors


@pytest.mark.parametrize("value", ["12345²", "١٢٣٤٥٦"])
def test_a_two_factor_code_in_other_digits_is_refused(value):
    form = TokenForm({"token": value})
    assert not form.is_valid()
