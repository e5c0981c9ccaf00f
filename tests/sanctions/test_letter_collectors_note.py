"""An invitation to meet or a warning letter may quote the policy's note on who collects the child (issue 26):
an option on the draft, the policy's own sentence, and nowhere else."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sanctions.letters import services as letter_services
from sanctions.models import COLLECTORS_NOTE, Letter, LetterKind

# The policy's note at the end of section 2, copied here word for word from the policy itself.
POLICY_TEXT = ("Can parents please ensure they make all persons responsible for collecting their children aware of "
               "this policy.")


def _draft(letters_case, personas, kind):
    return letter_services.letter_draft(actor=personas["senior"], incident=letters_case, kind=kind,
                                        person=letters_case.subjects()[0])


def _edit(client, letter, **data):
    return client.post(reverse("sanctions:letter_edit", args=[letter.pk]), {
        "facts": "You shouted at the gate.", "specific_paragraphs": "", "version": letter.version, **data})


def test_the_note_is_the_policys_own_sentence():
    assert COLLECTORS_NOTE == POLICY_TEXT


@pytest.mark.parametrize("kind", [LetterKind.MEETING_INVITATION, LetterKind.WARNING])
def test_ticking_it_adds_the_note_to_the_letter(letters_case, personas, client_as, kind):
    letter = _draft(letters_case, personas, kind)
    client = client_as("senior")
    assert "collectors_note" in client.get(reverse("sanctions:letter_edit", args=[letter.pk])).context["form"].fields
    preview = client.get(reverse("sanctions:letter_preview", args=[letter.pk])).content.decode()
    assert POLICY_TEXT not in preview
    assert _edit(client, letter, collectors_note="on").status_code == 302
    letter.refresh_from_db()
    assert letter.collectors_note
    preview = client.get(reverse("sanctions:letter_preview", args=[letter.pk])).content.decode()
    assert POLICY_TEXT in preview and "Code of conduct, section 2" in preview
    page = client.get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "With the code's note on who collects the child" in page


def test_unticking_takes_it_out_again(letters_case, personas, client_as):
    letter = _draft(letters_case, personas, LetterKind.WARNING)
    client = client_as("head")
    _edit(client, letter, collectors_note="on")
    letter.refresh_from_db()
    assert _edit(client, letter).status_code == 302
    letter.refresh_from_db()
    assert not letter.collectors_note
    page = client.get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "With the code's note on who collects the child" not in page


def test_a_ban_letter_offers_no_such_option_and_the_service_refuses_it(ban_case, make_ban, personas, client_as):
    letter = make_ban(ban_case).letters.get()
    form = client_as("head").get(reverse("sanctions:letter_edit", args=[letter.pk])).context["form"]
    assert "collectors_note" not in form.fields
    with pytest.raises(ValidationError):
        letter_services.letter_update(actor=personas["head"], letter=letter, facts="x", specific_paragraphs="",
                                      expected_version=letter.version, collectors_note=True)


def test_the_database_refuses_it_on_other_kinds(ban_case, make_ban):
    letter = make_ban(ban_case).letters.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(collectors_note=True)


def test_the_office_cannot_set_it(letters_case, personas, client_as):
    letter = _draft(letters_case, personas, LetterKind.WARNING)
    assert _edit(client_as("office"), letter, collectors_note="on").status_code == 403
    letter.refresh_from_db()
    assert not letter.collectors_note
