"""Third parties' names in gathered records: found, and replaced unless released.

A Redaction names a person by their full name; it also covers their first
and last names said alone ("Tom", "Mrs Other"), except where those words are
the requester's own or their children's names.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from privacy.gathering import name_variants
from privacy.models import RedactionDecision


def variants(term: str, own_words=frozenset()) -> list[str]:
    full, *parts = name_variants(term) or [term]
    return [full] + [p for p in parts if p.lower() not in own_words]


class Redactor:
    def __init__(self, redactions, own_words=frozenset()):
        self.by_variant = {}
        for redaction in redactions:
            for variant in variants(redaction.term, own_words):
                self.by_variant.setdefault(variant.lower(), redaction)
        alternatives = sorted(self.by_variant, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.I)
                        if alternatives else None)

    def _parts(self, text):
        """(plain text, None) and (matched text, redaction) pieces of `text`, in order."""
        if not self.pattern or not text:
            yield text or "", None
            return
        last = 0
        for match in self.pattern.finditer(text):
            yield text[last:match.start()], None
            yield match.group(0), self.by_variant[match.group(0).lower()]
            last = match.end()
        yield text[last:], None

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


def occurring_terms(fields, terms: dict, own_words=frozenset()) -> dict:
    """The terms (of {term: category}) whose name appears in any of the item's fields."""
    text = "\n".join(value for _label, value in fields)
    found = {}
    for term, category in terms.items():
        for variant in variants(term, own_words):
            if re.search(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", text, re.I):
                found[term] = category
                break
    return found
