"""The letter page folds away the words of a draft that are the same as in the letter last issued to the
person on the case (issue 25): the head checked them on the provisional ban letter, and reads only what is
new in the confirmation. A word changed since is shown again."""

import re

from sanctions.letters import services as letter_services


def _page(client, letter):
    response = client.get(f"/letters/{letter.pk}/")
    assert response.status_code == 200
    return response


def test_the_confirmation_folds_what_happened_and_the_arrangements(confirmation_draft, client_as):
    page = _page(client_as("head"), confirmation_draft)
    assert page.context["unchanged"]["names"] == "what happened and your child's drop-off and collection"
    html = page.content.decode()
    folded = re.search(r"<details class=\"mb-2\"><summary>Unchanged since the provisional ban letter of .*?</details>",
                       html, re.S).group(0)
    assert "brought to and collected from the office entrance" in folded
    # Shown once, folded; the new reasons are shown as they are.
    assert html.count("brought to and collected from the office entrance") == 1
    assert "Necessary to protect staff." in html.replace(folded, "")


def test_the_first_letter_folds_nothing(ban_case, make_ban, client_as):
    ban = make_ban(ban_case)
    page = _page(client_as("head"), ban.letters.get())
    assert page.context["unchanged"] is None
    assert "Unchanged since" not in page.content.decode()


def test_words_changed_since_are_shown_again(confirmation_draft, client_as, personas):
    letter_services.letter_update(actor=personas["head"], letter=confirmation_draft,
                                  facts="On Monday you shouted at staff at the gate.", specific_paragraphs="",
                                  expected_version=confirmation_draft.version)
    page = _page(client_as("head"), confirmation_draft)
    assert page.context["unchanged"]["names"] == "your child's drop-off and collection"
    html = page.content.decode()
    assert "On Monday you shouted at staff at the gate." in html
    assert "What happened, as letters tell it" in html
