"""The complaints' invariants, registered with `manage.py conduct_audit` (sanctions.audit).

Each yields (case reference, problem) like every check.
"""

from django.db.models import Exists, F, OuterRef, Q

from sanctions.models import Complaint, ComplaintOutcome, ComplaintStep


def check_complaint_deadlines_match_their_stage():
    """The work lists read the complaint's own deadline: it must be its open stage's, or empty once decided."""
    steps = ComplaintStep.objects.filter(complaint=OuterRef("pk"), stage=OuterRef("stage"))
    mismatched = (Complaint.objects.exclude(stage="closed")
                  .exclude(Exists(steps.filter(outcome="", deadline=OuterRef("deadline"))))
                  .exclude(Exists(steps.exclude(outcome="")), deadline__isnull=True))
    for complaint in mismatched.select_related("incident").iterator(chunk_size=200):
        yield complaint.incident.reference, (
            f"complaint {complaint.pk} at the {complaint.get_stage_display().lower()} stage shows a deadline that "
            "is not its stage's: the work lists would miss or misdate it")


def check_complaints_about_their_own_case():
    """A complaint is about a decision or a ban of its own case."""
    foreign = Complaint.objects.filter(
        (Q(decision__isnull=False) & ~Q(decision__incident=F("incident")))
        | (Q(ban__isnull=False) & ~Q(ban__incident=F("incident"))))
    for complaint in foreign.select_related("incident").iterator(chunk_size=200):
        yield complaint.incident.reference, f"complaint {complaint.pk} is about another case's decision or ban"


def check_outcomes_have_letters():
    """Every stage outcome (other than a withdrawal) has a letter telling the complainant, drafted at least."""
    untold = ComplaintStep.objects.exclude(outcome="").exclude(outcome=ComplaintOutcome.WITHDRAWN).filter(
        letters__isnull=True)
    for step in untold.select_related("complaint__incident").iterator(chunk_size=200):
        yield step.complaint.incident.reference, (
            f"complaint {step.complaint_id}: the {step.get_stage_display().lower()} stage's outcome has no letter")


def check_complaints_on_the_timeline():
    """Every complaint has its case's "complaint" event: the case page reads complaints only when one is there."""
    from incidents.models import CaseEvent

    missing = Complaint.objects.exclude(
        Exists(CaseEvent.objects.filter(incident=OuterRef("incident"), kind="complaint")))
    for complaint in missing.select_related("incident").iterator(chunk_size=200):
        yield complaint.incident.reference, f"complaint {complaint.pk} is missing from its case's timeline"


CHECKS = [check_complaint_deadlines_match_their_stage, check_complaints_about_their_own_case,
          check_outcomes_have_letters, check_complaints_on_the_timeline]
