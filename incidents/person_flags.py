"""What the floors above know about a person that tells one record from another in the picker.

Sanctions registers a provider answering "which of these people have a ban in
force at these schools"; incidents asks it without importing sanctions. One
call, one query, for the few people a picker or the duplicate guard shows.
"""

_BAN_PROVIDERS = []


def register_banned_provider(provider) -> None:
    """`provider(person_ids, school_ids)` returns the ids of those people with a site ban in force on a case at
    one of `school_ids` (every school when `school_ids` is None)."""
    if provider not in _BAN_PROVIDERS:
        _BAN_PROVIDERS.append(provider)


def people_banned(person_ids, school_ids=None) -> set:
    person_ids = sorted(set(person_ids))
    if not person_ids:
        return set()
    found = set()
    for provider in _BAN_PROVIDERS:
        found |= set(provider(person_ids, None if school_ids is None else sorted(school_ids)))
    return found & set(person_ids)
