"""privacy.names: a name is found as whole words, never as letters inside a longer word."""

import pytest

from privacy import names
from privacy.redaction import Redactor


@pytest.mark.parametrize("text", [
    "Ann Lee was there", "ANN LEE was there", "ann   lee", "Ann\nLee", "it was Ann Lee's coat", "Ann Lee’s coat",
    "Ann_Lee_at_the_gate.png", "Ann-Lee.png", "(Ann Lee)", "“Ann Lee”", "'Ann Lee'", "the Lees' car and Ann Lee",
])
def test_a_name_is_found_however_it_is_written(text):
    assert names.contains(text, "Ann Lee")


@pytest.mark.parametrize("text", ["Joann Leeds", "Annie Lee", "Ann Leeson", "Ann Lee2", "JoAnn Lee", "Ann O'Lee"])
def test_a_name_is_never_found_inside_a_longer_word(text):
    assert not names.contains(text, "Ann Lee")


def test_unicode_names_in_either_form_and_any_case():
    composed, decomposed = "Zo\u00eb \u00c5berg", "Zoe\u0308 A\u030aberg"
    assert names.contains(f"with {decomposed}.", composed)
    assert names.contains("ЗОЯ ПЕТРОВА пришла", "Зоя Петрова")
    assert not names.contains("Зоян Петрова", "Зоя Петрова")
    assert names.same("Mrs. O’Brien", "mrs o'brien")
    # Combining marks are part of a word: "प्रियाक" is not "प्रिया".
    assert names.contains("आज प्रिया शर्मा आई", "प्रिया शर्मा")
    assert not names.contains("आज प्रियाक शर्मा आई", "प्रिया शर्मा")


class _Redaction:
    pk, decision = 1, "keep"

    def __init__(self, term):
        self.term = term

    def get_category_display(self):
        return "pupil"


def test_the_redactor_keeps_the_requesters_own_names_and_redacts_only_whole_names():
    redactor = Redactor([_Redaction("Joann Leeds"), _Redaction("Lee")], own_words={"ann", "lee", "lena"},
                        own_names={"ann lee", "lena lee"})
    text = "Lena Lee, Ann Lee and Joann Leeds; Joann's bag; Lee alone; Leeds United."
    assert redactor.pack_text(text) == ("Lena Lee, Ann Lee and [redacted: pupil]; [redacted: pupil]'s bag; "
                                        "[redacted: pupil] alone; [redacted: pupil] United.")
