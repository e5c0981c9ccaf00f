"""Third parties' names in gathered records: found, and replaced unless released.

A Redaction names a person by their full name; it also covers their first
and last names said alone ("Tom", "Mrs Other"), except where those words are
the requester's own or their children's names. Names are matched as whole
names (privacy.names), in every text the pack prints: titles, file names and
fields alike.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from privacy import names
from privacy.gathering import name_variants
from privacy.models import RedactionDecision


def variants(term: str, own_words=frozenset()) -> list[str]:
    full, *parts = name_variants(term) or [term]
    return [full] + [p for p in parts if " ".join(names.key(p)) not in own_words]


def printed_texts(item) -> list[str]:
    """Every text of a gathered record that the pack prints: its title, its file's name and its fields."""
    return [item.title, item.original_name, *(value for _label, value in item.fields)]


class Redactor:
    """Replaces the item's redactions in text. The requester's own full names (`own_names`) are found
    first and left alone, so a third party called "Lee" does not cut into "Ann Lee"."""

    def __init__(self, redactions, own_words=frozenset(), own_names=()):
        self.by_key = {}
        for redaction in redactions:
            for variant in variants(redaction.term, own_words):
                self.by_key.setdefault(names.key(variant), redaction)
        for own in own_names:
            self.by_key[names.key(own)] = None
        self.finder = names.NameFinder(" ".join(k) for k in self.by_key)

    def _parts(self, text):
        """(plain text, None) and (matched text, redaction) pieces of `text`, in order."""
        for piece, name in self.finder.pieces(text or ""):
            yield piece, None if name is None else self.by_key.get(names.key(name))

    def pack_text(self, text: str) -> str:
        """The text as released: kept redactions replaced by a marker saying whose name it was."""
        return "".join(
            piece if r is None or r.decision == RedactionDecision.RELEASE else f"[redacted: {r.get_category_display()}]"
            for piece, r in self._parts(text)
        )

    def review_html(self, text: str, numbers: dict) -> str:
        """The text for the reviewer: each redaction marked in place with its number."""
        out = []
        for piece, r in self._parts(text):
            if r is None:
                out.append(conditional_escape(piece))
                continue
            released = r.decision == RedactionDecision.RELEASE
            style = "bg-success-subtle" if released else "text-bg-dark text-decoration-line-through"
            state = "released" if released else "redacted"
            out.append(format_html('<mark class="{} px-1 rounded" title="{}: {}">{}<sup>{}</sup></mark>', style, state,
                                   r.get_category_display(), piece, numbers.get(r.pk, "")))
        # Every piece is escaped above, by conditional_escape or format_html.
        return mark_safe("".join(out))  # nosec B308 B703


class TermFinder:
    """Which terms each record names. Built once for a whole gathering: its records share the pack's names."""

    def __init__(self, terms, own_words=frozenset(), own_names=()):
        # The requester's own full names are found first and count for nobody.
        self.by_key = {names.key(own): [] for own in own_names}
        for term in terms:
            for variant in variants(term, own_words):
                self.by_key.setdefault(names.key(variant), []).append(term)
        self.finder = names.NameFinder(" ".join(k) for k in self.by_key)

    def occurring(self, texts, terms: dict) -> dict:
        """The terms (of {term: category}) whose name appears, as a whole name, in any of the texts."""
        found = {}
        for text in texts:
            for name in self.finder.found(text or ""):
                found.update((term, terms[term]) for term in self.by_key[names.key(name)] if term in terms)
        return found

