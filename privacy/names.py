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


def _marks() -> str:
    """Unicode's combining marks as a character class body: part of a word ("प्रिया"), though not `\\w`."""
    marks = [cp for cp in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(chr(cp))[0] == "M"]
    ranges, start = [], marks[0]
    for previous, cp in zip(marks, [*marks[1:], None], strict=True):
        if cp != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = cp
    return "".join(ranges)


# Underscores join words in file names: the text is read with each "_" as a space (see _scan).
_LETTER = rf"[\w{_marks()}]"
# A word: letters and digits, with apostrophes inside it ("O'Brien", "Lee's"). A name never starts or
# ends inside one, which is what keeps "Ann" out of "Joann" and "Lee" out of "O'Lee".
_WORD = re.compile(rf"{_LETTER}+(?:[{APOSTROPHES}]{_LETTER}+)*")
# What may stand between the words of one name: "Ann Lee", "Ann\nLee", "Ann_Lee.png", "Ann-Lee".
_GAP = re.compile(r"[\s._\-‐‑–]+")
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")


def normal(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _fold(word: str) -> str:
    return _APOSTROPHE.sub("'", word).lower()


def _scan(text: str) -> str:
    """The text as words are read from it: the same length, so what is found there is found in the text."""
    return text.replace("_", " ")


def words(name: str) -> list[str]:
    return _WORD.findall(_scan(normal(name)))


def key(name: str) -> tuple:
    """What two spellings of one name share: "Mrs. O’Brien" and "mrs o'brien" have the same key."""
    return tuple(_fold(w) for w in words(name))


def contains(text: str, name: str) -> bool:
    return bool(NameFinder([name]).found(text))


def same(one: str, other: str) -> bool:
    return bool(key(one)) and key(one) == key(other)


class NameFinder:
    """Finds any of many names in a text, the longest name first where names overlap.

    The text is read once as words; at each word the longest run of words that is a known name wins.
    Its cost grows with the text and the longest name, not with how many names there are.
    """

    def __init__(self, names: Iterable[str]):
        self.by_key = {}
        for name in names:
            folded = key(name)
            if folded:
                self.by_key.setdefault(folded, name)
        self.longest = max(map(len, self.by_key), default=0)
        self.first_words = {k[0] for k in self.by_key}

    def _name_at(self, folded, reach, i):
        """(words used, characters of "'s" left outside, name) for the longest name at word i, or None."""
        for n in range(min(self.longest, reach[i]), 0, -1):
            run = tuple(folded[i:i + n])
            if run in self.by_key:
                return n, 0, self.by_key[run]
            # A possessive: "Ann Lee's coat" names Ann Lee; the "'s" stays outside the name.
            if run[-1].endswith("'s") and run[:-1] + (run[-1][:-2],) in self.by_key:
                return n, 2, self.by_key[run[:-1] + (run[-1][:-2],)]
        return None

    def spans(self, text: str):
        """(start, end, name) for each name found in the (composed) text, in order."""
        if not self.by_key:
            return
        text = _scan(text)
        found = list(_WORD.finditer(text))
        folded = [_fold(m.group()) for m in found]
        # reach[i]: how many words from word i on are joined only by what may stand inside a name.
        reach = [1] * len(found)
        for i in range(len(found) - 2, -1, -1):
            if _GAP.fullmatch(text, found[i].end(), found[i + 1].start()):
                reach[i] = reach[i + 1] + 1
        i = 0
        while i < len(found):
            hit = self._name_at(folded, reach, i) if self._may_start(folded[i]) else None
            if hit is None:
                i += 1
                continue
            used, outside, name = hit
            yield found[i].start(), found[i + used - 1].end() - outside, name
            i += used

    def _may_start(self, word: str) -> bool:
        return word in self.first_words or (word.endswith("'s") and word[:-2] in self.first_words)

    def pieces(self, text: str):
        """(text, None) for the text between names and (text, name) for each name found, in order."""
        text = normal(text)
        last = 0
        for start, end, name in self.spans(text):
            yield text[last:start], None
            yield text[start:end], name
            last = end
        yield text[last:], None

    def found(self, text: str) -> set:
        return {name for _start, _end, name in self.spans(normal(text))}
