"""People's names found in text as whole names, never as letters inside a longer word.

A name is a sequence of words. It matches the same words in the text in the
same order, in any case, whatever spaces, dots, hyphens or underscores stand
between them (file names join words with those), and followed by a
possessive ("Lee's"). It never matches inside a longer word: "Ann Lee" is not
in "Joann Leeds", and "Lee" is not in "O'Lee". Text and names are compared in
Unicode's composed form, so "Zoë" typed either way is the same name.
"""

import re
import unicodedata
from collections.abc import Iterable

APOSTROPHES = "'’‘ʼ"
_LETTER = r"[^\W_]"
# A word of a name: letters and digits, with apostrophes inside it ("O'Brien").
_WORD = re.compile(rf"{_LETTER}+(?:[{APOSTROPHES}]{_LETTER}+)*")
_SEPARATOR = r"[\s._\-‐‑–]+"
# Not after a letter, nor after a letter and an apostrophe ("O'Lee" is not "Lee").
_START = rf"(?<!{_LETTER})(?<!{_LETTER}[{APOSTROPHES}])"
# Not before a letter, nor before an apostrophe and a letter, except a possessive "'s".
_END = rf"(?!{_LETTER})(?![{APOSTROPHES}](?![sS](?!{_LETTER})){_LETTER})"


def normal(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def words(name: str) -> list[str]:
    return _WORD.findall(normal(name))


def key(name: str) -> tuple:
    """What two spellings of one name share: "Mrs. O’Brien" and "mrs o'brien" have the same key."""
    return tuple(re.sub(f"[{APOSTROPHES}]", "'", w).lower() for w in words(name))


def _word_pattern(word: str) -> str:
    return "".join(f"[{APOSTROPHES}]" if ch in APOSTROPHES else re.escape(ch) for ch in word)


def pattern(name: str) -> str:
    """The regular expression (without flags) for `name` as a whole name; "" for a name with no words."""
    found = words(name)
    if not found:
        return ""
    return _START + _SEPARATOR.join(_word_pattern(w) for w in found) + _END


def contains(text: str, name: str) -> bool:
    source = pattern(name)
    return bool(source) and re.search(source, normal(text), re.IGNORECASE) is not None


def same(one: str, other: str) -> bool:
    return bool(key(one)) and key(one) == key(other)


class NameFinder:
    """Finds any of many names in a text in one pass, the longest name first where names overlap."""

    def __init__(self, names: Iterable[str]):
        unique = {}
        for name in names:
            if key(name):
                unique.setdefault(key(name), name)
        self.names = sorted(unique.values(), key=lambda n: (-len(key(n)), -len(n)))
        alternatives = [f"(?P<n{i}>{pattern(n)})" for i, n in enumerate(self.names)]
        self.regex = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def pieces(self, text: str):
        """(text, None) for the text between names and (text, name) for each name found, in order."""
        text = normal(text)
        last = 0
        if self.regex is not None:
            for match in self.regex.finditer(text):
                yield text[last:match.start()], None
                yield match.group(0), self.names[int(match.lastgroup[1:])]
                last = match.end()
        yield text[last:], None

    def found(self, text: str) -> set:
        return {name for piece, name in self.pieces(text) if name is not None}
