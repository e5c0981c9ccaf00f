"""The registry of invariants that `manage.py conduct_audit` checks across all schools.

Each capability keeps its checks beside the code they check (its `audit.py`, a
CHECKS list); a new capability adds its list here.
"""

from sanctions.bans.audit import CHECKS as BAN_CHECKS
from sanctions.complaints.audit import CHECKS as COMPLAINT_CHECKS
from sanctions.letters.audit import CHECKS as LETTER_CHECKS
from sanctions.responses.audit import CHECKS as CASE_CHECKS

CHECKS = [*CASE_CHECKS, *LETTER_CHECKS, *BAN_CHECKS, *COMPLAINT_CHECKS]


def run_audit():
    problems = []
    for check in CHECKS:
        problems.extend(check())
    return problems
