"""Benchmark: render time of each letter kind and of a case summary with 50 timeline events.

    .venv/bin/python bench/run.py letters [--repeat N] [--out DIR]

Builds its own data through the services in a temporary SQLite database,
prints a table and exits 1 if a one-page letter takes longer than 0.5 s (the
budget on these machines; WeasyPrint needs Debian's libharfbuzz-subset0 for
it). --out writes each PDF there, to look at.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="conduct-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "conduct.test_settings"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("MEDIA_ROOT", f"{TMP}/media")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ONE_PAGE_BUDGET_S = 0.5


def _logo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=(29, 53, 87))
    draw.rectangle((105, 40, 135, 200), fill="white")
    draw.rectangle((60, 85, 180, 115), fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def build():
    """A trust, two schools, staff, and cases that produce every letter kind."""
    from conduct.models import School, StaffRole, Trust
    from conduct.roles import Role
    from incidents import services as inc
    from incidents.models import BreachCategory, Location, Relationship, StatementKind
    from incidents.workflow import Stage
    from sanctions.bans import services as ban_services
    from sanctions.letters import services as letter_services
    from sanctions.models import ActionKind, BanRoute, ConsultationMethod, DecisionOutcome, ReviewOutcome
    from sanctions.responses import services as san

    trust = Trust.objects.create(name="All Saints MAT")
    school = School.objects.create(
        trust=trust, code="asp", name="All Saints Primary School", address="1 Church Lane\nAshford\nKent TN23 1AA",
        phone="01233 100100", email="office@allsaints.example.org", head_name="Mrs Helen Hart",
        head_title="Head of School", chair_name="Mr Colin Chambers",
        site_contact="Call the Head of School on 01233 100101; if there is any threat, call 999.",
    )
    school.logo.save("logo.png", ContentFile(_logo_png()))
    other = School.objects.create(
        trust=trust, code="smp", name="St Mary's Church of England Primary School",
        address="2 Mill Road\nAshford\nKent TN24 2BB", phone="01233 200200", email="office@stmarys.example.org",
        head_name="Mr Hugh Howard", head_title="Head of School", chair_name="Ms Carol Cole",
    )
    users = {}
    for name, role in [("office", Role.OFFICE), ("deputy", Role.SENIOR), ("head", Role.HEAD), ("chair", Role.CHAIR)]:
        user = get_user_model().objects.create_user(username=name, first_name=name.title(), last_name="Bench")
        StaffRole.objects.create(user=user, school=school, role=role)
        users[name] = user
    office, deputy, head, chair = users["office"], users["deputy"], users["head"], users["chair"]

    def case(name, pupil, actions, categories):
        person = inc.person_create(
            actor=office, school=school, full_name=name, relationship=Relationship.PARENT,
            address="10 High Street\nAshford\nKent TN23 9ZZ", email="parent@example.com",
            pupils=[{"name": pupil, "year_group": "Year 4"}],
        )
        incident = inc.incident_create(
            actor=office, school=school, occurred_at=timezone.now() - timedelta(days=3), location=Location.PREMISES,
            location_detail="the main gate at pick-up time",
            description="At about 3.15 pm the parent raised their voice at the deputy head at the main gate, "
                        "used offensive language in front of pupils and parents, and pushed past her into the "
                        "playground when asked to wait.",
            categories=BreachCategory.objects.filter(code__in=categories), subjects=[person],
            reported_by="Deputy head", pupils_affected=f"{pupil} (Year 4)",
        )
        inc.incident_transition(actor=deputy, incident=incident, to_stage=Stage.GATHERING)
        inc.statement_add(actor=deputy, incident=incident, kind=StatementKind.STAFF, given_by="Mr Lee, Year 4 teacher",
                          taken_on=timezone.now() - timedelta(days=2), text="I saw the parent shouting at the gate.")
        inc.statement_add(actor=deputy, incident=incident, kind=StatementKind.PUPIL, given_by=pupil,
                          taken_on=timezone.now() - timedelta(days=2), others_present="Mrs Patel, teaching assistant",
                          text=f"{pupil.split()[0]} said their parent was cross about lunchtime.")
        inc.incident_transition(actor=deputy, incident=incident, to_stage=Stage.CONVERSATION)
        inc.conversation_record(actor=deputy, incident=incident, took_place=True,
                                held_on=timezone.now() - timedelta(days=1), present="Deputy head and the parent",
                                parent_said="Accepted raising their voice.", agreed="Concerns by appointment.")
        ban = ActionKind.SITE_BAN in actions
        san.proposal_submit(actor=deputy, incident=incident, actions=actions, rationale="Staff felt threatened.",
                            ban_justification="Immediate risk to staff." if ban else "")
        if ban:
            san.consultation_record(actor=chair, incident=incident, consulted_on=timezone.localdate(),
                                    method=ConsultationMethod.PHONE, chair_view="I agree a ban is needed.",
                                    signed_off=True)
        san.decision_record(actor=head, incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Agreed.")
        incident.refresh_from_db()
        return incident, person

    today = timezone.localdate()
    letters = {}
    first, mark = case("Mark Brown", "Amy Brown", [ActionKind.MEETING, ActionKind.WARNING_LETTER],
                       ["offensive-language", "disruptive-behaviour"])
    letters["meeting"] = letter_services.letter_draft(actor=deputy, incident=first, kind="meeting")
    letters["warning"] = letter_services.letter_draft(actor=deputy, incident=first, kind="warning")

    second, steven = case("Steven Grey", "Mia Grey", [ActionKind.SITE_BAN, ActionKind.AUTHORITIES],
                          ["threatening", "aggression"])
    arrangements = ("Mia will be brought to and collected from the school office entrance on Church Lane by "
                    "her grandmother or another adult you name to the school in advance.")
    ban = ban_services.ban_create(
        actor=head, incident=second, person=steven, route=BanRoute.PROVISIONAL, sites=[school, other],
        starts_on=today, ends_on=today + timedelta(days=180), review_on=today + timedelta(days=90),
        pupil_arrangements=arrangements,
        reasons="A member of staff was threatened and pushed; staff and pupils felt unsafe.",
    )
    letters["provisional_ban"] = ban.letters.get()
    letter_services.letter_issue(actor=head, letter=letters["provisional_ban"], sent_by="post")
    ban_services.representation_record(actor=head, ban=ban, received_on=today, summary="He apologises.")
    ban_services.ban_confirm(actor=head, ban=ban, reasons="The apology does not remove the risk to staff.")
    letters["ban_confirmed"] = ban.letters.get(kind="ban_confirmed")
    letter_services.letter_issue(actor=head, letter=letters["ban_confirmed"], sent_by="hand")
    review = ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.SHORTEN,
                                     new_ends_on=today + timedelta(days=120), next_review_on=today + timedelta(days=60),
                                     reasons="No further incident; the ban is shortened.")
    letters["ban_review"] = ban.letters.get(review=review)

    third, lisa = case("Lisa Stone", "Noah Stone", [ActionKind.SITE_BAN], ["aggression"])
    notice = ban_services.ban_create(
        actor=head, incident=third, person=lisa, route=BanRoute.NOTICE, sites=[school],
        starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=120),
        review_on=today + timedelta(days=60), pupil_arrangements="Noah's father will bring and collect him.",
        reasons="Physical punishment of a child on the school premises.",
    )
    letters["intended_ban"] = notice.letters.get()
    ban_services.ban_withdraw(actor=head, ban=notice,
                              reasons="Having met Mrs Stone, I am satisfied the risk has passed.")
    letters["ban_withdrawn"] = notice.letters.get(kind="ban_withdrawn")

    from incidents.services import event_record

    while second.events.count() < 50:
        event_record(actor=deputy, incident=second, kind="note",
                     summary=f"Note {second.events.count() + 1}: telephone call with the parent",
                     note="A short call; the parent asked about the review date.")
    return letters, second, users


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:  # pypdf is a test dependency
        return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def _time(render, repeat):
    timings, pdf = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        pdf = render()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), max(timings), pdf


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", help="write each PDF to this folder")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    letters, summary_case, users = build()
    from sanctions.letters import rendering as renderer
    from sanctions.letters.summary import case_summary_context

    renderer.letter_pdf(letters["meeting"])  # warm up fonts and the stylesheet
    rows, failed = [], False
    for kind, letter in letters.items():
        median, worst, pdf = _time(lambda letter=letter: renderer.letter_pdf(letter), args.repeat)
        pages = _pages(pdf)
        over = pages == 1 and median > ONE_PAGE_BUDGET_S
        failed |= over
        rows.append((letter.get_kind_display(), pages, median, worst, "OVER BUDGET" if over else "ok"))
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            Path(args.out, f"{kind}.pdf").write_bytes(pdf)
    events = summary_case.events.count()
    median, worst, pdf = _time(
        lambda: renderer.case_summary_pdf(case_summary_context(users["head"], summary_case)), args.repeat
    )
    rows.append((f"Case summary ({events} timeline events)", _pages(pdf), median, worst, "-"))
    if args.out:
        Path(args.out, "case_summary.pdf").write_bytes(pdf)
    width = max(len(r[0]) for r in rows)
    print(f"{'Document'.ljust(width)}  pages  median s  worst s  budget (one page: {ONE_PAGE_BUDGET_S} s)")
    for name, pages, med, wst, verdict in rows:
        print(f"{name.ljust(width)}  {pages:>5}  {med:>8.3f}  {wst:>7.3f}  {verdict}")
    if failed:
        print("A one-page letter took longer than the budget: is libharfbuzz-subset0 installed?", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
