"""Whether two records may be one adult: the duplicate guard within a school, the trust's check across schools.

Candidates come from indexes only (the name search index, the aliases', the
email and phone expression indexes), capped, so a common surname at a large
school never reads every person; the comparison itself is done here, in Python,
on those few rows.
"""

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace, Upper

from incidents.models import Person, PersonAlias
from incidents.search import TRIGRAM_MIN, contains_q

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir"}
# How alike two normalised names must be (difflib's ratio) to count as one: "Craig Hollis" and "Craig Hollies".
ALIKE = 0.85
CANDIDATES_PER_WAY = 50


def normalise_name(name: str) -> str:
    """"Mr  Craig  O'Hollis-Smith" -> "craig ohollis smith": no title, accents, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else (" " if c in " -_.," else "") for c in letters.casefold())
    words = cleaned.split()
    while words and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def names_alike(first: str, second: str) -> bool:
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return False
    if a == b or sorted(a.split()) == sorted(b.split()):
        return True
    return SequenceMatcher(None, a, b).ratio() >= ALIKE


def phone_key(phone: str) -> str:
    """Digits only, a leading 44 read as 0: "+44 7700 900123" and "07700900123" are one number."""
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits


def address_key(address: str) -> str:
    return " ".join("".join(c for c in (address or "").casefold() if c.isalnum() or c.isspace()).split())


@dataclass
class Match:
    person: Person
    same_name: bool
    same_contact: bool
    alias: str = ""

    @property
    def why(self) -> str:
        parts = []
        if self.same_name:
            parts.append(f"the name (as “{self.alias}”)" if self.alias else "the name")
        if self.same_contact:
            parts.append("contact details")
        return " and ".join(parts)


def _surname(name: str) -> str:
    words = normalise_name(name).split()
    return words[-1] if words else ""


def _name_qs(name: str) -> list[Q]:
    """The whole name, then the surname (and, on PostgreSQL, trigram similarity): each a way of its own."""
    qs = []
    whole = " ".join(name.split())
    if len(whole) >= TRIGRAM_MIN:
        qs.append(contains_q("full_name", whole))
    q = Q()
    surname = _surname(name)
    if len(surname) >= TRIGRAM_MIN:
        q |= contains_q("full_name", surname)
    if connection.vendor == "postgresql" and len(whole) >= TRIGRAM_MIN:
        # pg_trgm's similarity operator, through the trigram index of migration 0004.
        q |= Q(pk__in=RawSQL("SELECT id FROM incidents_person WHERE UPPER(full_name) %% %s",  # nosec B611
                             (whole.upper(),)))
    if q:
        qs.append(q)
    return qs


def with_contact_keys(people):
    """`people` annotated with the keys the email and phone indexes hold, for contact_q."""
    return people.annotate(email_upper=Upper("email"), phone_nospace=Replace("phone", Value(" "), Value("")))


def contact_q(email: str, phone: str) -> Q:
    """Q for the same email (ignoring case) or phone (spaces and +44 aside) on a with_contact_keys queryset."""
    email, phone = (email or "").replace("\x00", "").strip()[:254], (phone or "").replace("\x00", "").strip()[:40]
    q = Q()
    if email.strip():
        q |= Q(email_upper=email.strip().upper())
    if len(phone_key(phone)) >= 6:
        # The index holds the phone without spaces; "+44 7700…" and "07700…" are both tried.
        spaced = phone.replace(" ", "")
        q |= Q(phone_nospace__in={spaced, phone_key(phone), "+44" + phone_key(phone)[1:]})
    return q


def candidates(people, *, name: str, email: str = "", phone: str = "", alias_school_ids=None,
               exclude_ids=()) -> list[Match]:
    """Records in `people` (a queryset already scoped) that may be the person typed: a like name (or an alias
    of one of `alias_school_ids`' schools), the same email, or the same phone. Best first, at most a few."""
    # NUL is refused by PostgreSQL and ends SQLite's FTS phrase: never part of a name or a number.
    name, email, phone = ((value or "").replace("\x00", "") for value in (name, email, phone))
    name = name.strip()[:200]
    email, phone = email.strip()[:254], phone.strip()[:40]
    found: dict[int, Match] = {}
    people = with_contact_keys(people.exclude(pk__in=list(exclude_ids)))
    # Each way capped on its own, the closest first: fifty Smiths before "John Smith" must not hide him.
    ways = [q for q in (*_name_qs(name), contact_q(email, phone)) if q]
    for way in ways:
        for person in people.filter(way).order_by("full_name", "pk")[:CANDIDATES_PER_WAY]:
            _consider(found, person, name, email, phone)
    surname = _surname(name)
    if alias_school_ids and len(surname) >= TRIGRAM_MIN:
        aliases = (PersonAlias.objects.filter(contains_q("name", surname), school_id__in=list(alias_school_ids),
                                              person__in=people).select_related("person")
                   .order_by("name", "pk")[:CANDIDATES_PER_WAY])
        for alias in aliases:
            if names_alike(name, alias.name):
                match = _consider(found, alias.person, name, email, phone)
                if not match.same_name:
                    match.same_name, match.alias = True, alias.name
    matches = [m for m in found.values() if m.same_name or m.same_contact]
    return sorted(matches, key=lambda m: (not (m.same_name and m.same_contact), not m.same_name,
                                          m.person.full_name, m.person.pk))[:10]


def _consider(found, person, name, email, phone) -> Match:
    match = found.get(person.pk)
    if match is None:
        same_email = bool(email) and person.email.strip().casefold() == email.casefold()
        # A few digits ("12") are not a phone number: as contact_q, six at least.
        same_phone = len(phone_key(phone)) >= 6 and phone_key(person.phone) == phone_key(phone)
        match = found[person.pk] = Match(person, names_alike(name, person.full_name), same_email or same_phone)
    return match


def same_contact(person: Person, other: Person) -> bool:
    """The same email, phone or address: with a like name, a likely match across schools."""
    if person.email.strip() and person.email.strip().casefold() == other.email.strip().casefold():
        return True
    if len(phone_key(person.phone)) >= 6 and phone_key(person.phone) == phone_key(other.phone):
        return True
    return bool(address_key(person.address)) and address_key(person.address) == address_key(other.address)
