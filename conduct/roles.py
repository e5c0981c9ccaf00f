from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "Office"
    SENIOR = "senior", "Senior leader"
    HEAD = "head", "Head"
    CHAIR = "chair", "Chair of the Local Academy Board"
    TRUST = "trust", "Trust (read-only, all schools)"
    DPO = "dpo", "Data protection officer (all schools)"
    ADMIN = "admin", "Trust administrator (schools and staff)"


# Roles that work on a school's cases, as opposed to reading them.
STAFF_WRITERS = frozenset({Role.OFFICE, Role.SENIOR, Role.HEAD})
CASE_LEADERS = frozenset({Role.SENIOR, Role.HEAD})
# Pupils' own accounts are sensitive: office staff do not read them.
PUPIL_STATEMENT_READERS = frozenset({Role.SENIOR, Role.HEAD, Role.CHAIR})

# Roles held across the whole trust rather than at one school (StaffRole.school is empty).
TRUST_WIDE_ROLES = frozenset({Role.TRUST, Role.DPO, Role.ADMIN})
# Trust-wide roles that read every school's cases. The administrator sets up
# schools and staff and has no need to read a case, so it does not.
TRUST_READERS = frozenset({Role.TRUST, Role.DPO})
