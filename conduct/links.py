"""Links built many to a page without a reverse() each."""

from django.urls import get_script_prefix, reverse


class LinkForId:
    """The URL named `name` for any id, from one reverse().

    A work list links a hundred cases; a reverse() for each cost the home page
    a couple of milliseconds. The pattern is resolved on first use, for a
    placeholder id no record has, and each link swaps the placeholder for the
    real id. It is resolved again if the script prefix (the site's mount point)
    differs from the one it was resolved under.
    """

    PLACEHOLDER = "987654321987654321"

    def __init__(self, name: str):
        self.name = name
        self._resolved = None  # (script prefix, pattern)

    def __call__(self, pk) -> str:
        prefix = get_script_prefix()
        if self._resolved is None or self._resolved[0] != prefix:
            self._resolved = (prefix, reverse(self.name, args=[int(self.PLACEHOLDER)]))
        return self._resolved[1].replace(self.PLACEHOLDER, str(int(pk)))
