"""The demo: a year and a half of cases at two schools, built through the services.

`seed_demo` calls `build()` for each school that has no cases yet, then prints
`tour()`: which case shows what, by reference (references carry the year the
case was logged, so they depend on the day the demo was seeded).
"""

from incidents.models import Incident

# (school code, person, which of their cases at that school, what it shows)
TOUR = [
    ("asp", "Mark Brown", "newest", "reported yesterday: office logged it, a senior leader starts next"),
    ("asp", "Sarah Green", "newest", "reported five days ago and not yet picked up: overdue"),
    ("asp", "Paul White", "newest", "gathering information for over two weeks (overdue); a voicemail transcript (PDF)"),
    ("asp", "Gary Field", "newest", "at the parent conversation, with the pupil's version of events"),
    ("asp", "Karen Black", "newest", "a warning letter proposed, waiting for the head's decision"),
    ("asp", "Steven Grey", "newest", "a site ban proposed, waiting for the Chair's consultation (overdue); "
     "the deputy head hurt, 8 days off: a RIDDOR report due in the head's work list"),
    ("asp", "Michelle Grant", "newest", "the head rejected the proposal: the deputy revises it"),
    ("asp", "Lisa Stone", "newest", "decided (meeting and warning letter): the letters are still to draft"),
    ("asp", "Darren Cole", "newest", "decided five weeks ago, the police report still to do (overdue)"),
    ("asp", "Lee Dawson", "newest", "a notice of intended ban whose deadline for representations has passed"),
    ("asp", "Kelly Marsh", "newest", "a provisional ban in force, representations received, for the head to weigh"),
    ("asp", "Joanne Pike", "newest", "a ban confirmed after notice, on the register; its review is due this week; "
     "her complaint about it is before a complaints panel (the trust's work list; the case summary is marked "
     "for the panel)"),
    ("asp", "Jason Reid", "newest", "a ban from All Saints' site, on its register with his photo; gate photo; "
     "a review outcome letter; earlier warned at St Mary's; his complaint about the ban is at the formal stage "
     "(its deadline on the head's work list)"),
    ("asp", "Wayne Booth", "newest", "a ban lifted on review (ban lifted letter)"),
    ("asp", "Rachel Finch", "newest", "a notice of intended ban withdrawn after her representations"),
    ("asp", "Tony Wells", "newest", "a three-month ban that ran its course and ended"),
    ("asp", "Neil Ford", "newest", "the Chair did not sign off a ban: a warning letter instead"),
    ("asp", "Sam Taylor", "newest", "closed, then reopened: a corrected warning letter supersedes the first"),
    ("asp", "Peter Lomax", "newest", "a meeting invitation to “Mr and Mrs Lomax” (a salutation override)"),
    ("asp", "Jordan Kay", "newest", "a warning letter to someone with no title (“Dear Jordan Kay”)"),
    ("asp", "Ryan Hughes", "newest", "a Facebook post (screenshot), a warning and the post reported"),
    ("asp", "Amanda Clarke", "newest", "a second incident: the earlier meeting is in view, then a warning"),
    ("smp", "Jason Reid", "newest", "the St Mary's warning that came before the All Saints ban"),
    ("smp", "Nina Jones", "newest", "reported two days ago: a Facebook post about the head (screenshot)"),
    ("smp", "Kevin Doyle", "newest", "a ban proposed, waiting for St Mary's Chair"),
]


def build(*, schools, users, codes):
    """Seed the cases of the schools whose codes are in `codes`, in one interleaved timeline."""
    from conduct.generated.demo import all_saints, st_marys
    from conduct.generated.demo.people import PEOPLE
    from conduct.generated.demo.story import Demo

    scripts = [("asp", s) for s in all_saints.SCRIPTS if "asp" in codes]
    scripts += [("smp", s) for s in st_marys.SCRIPTS if "smp" in codes]
    Demo(schools=schools, users=users, people=PEOPLE).run(scripts)


def tour():
    """[(reference, school code, person, what the case shows)] for the cases the demo holds."""
    rows = []
    for code, name, which, text in TOUR:
        cases = Incident.objects.filter(school__code=code, person_links__person__full_name=name)
        incident = cases.order_by("-logged_at" if which == "newest" else "logged_at").first()
        if incident is not None:
            rows.append((incident.reference, code, name, text))
    return rows
