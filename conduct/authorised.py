"""Who the trust has authorised, under section 547 of the Education Act 1996, to remove a person from each school."""

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from conduct.models import AuthorisedPerson


def authorised_people(school_ids, on=None) -> dict[int, list[AuthorisedPerson]]:
    """{school id: the people authorised there on `on` (default today), by name}, every id a key; one query."""
    on = on or timezone.localdate()
    found = {school_id: [] for school_id in school_ids}
    if not found:
        return found
    rows = (AuthorisedPerson.objects
            .filter(school_id__in=found, authorised_from__lte=on)
            .filter(Q(authorised_until__isnull=True) | Q(authorised_until__gte=on))
            .order_by(Lower("name"), "name", "pk"))
    for person in rows:
        found[person.school_id].append(person)
    return found
