from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "Office"
    SENIOR = "senior", "Senior leader"
    HEAD = "head", "Head"
    CHAIR = "chair", "Chair of the Local Academy Board"
    TRUST = "trust", "Trust (read-only, all schools)"


# Roles that work on a school's cases, as opposed to reading them.
STAFF_WRITERS = frozenset({Role.OFFICE, Role.SENIOR, Role.HEAD})
CASE_LEADERS = frozenset({Role.SENIOR, Role.HEAD})
# Pupils' own accounts are sensitive: office staff do not read them.
PUPIL_STATEMENT_READERS = frozenset({Role.SENIOR, Role.HEAD, Role.CHAIR})
