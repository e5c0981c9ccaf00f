"""The demo's cases as short stories, each step taken through the services at its own time.

A case is a generator: it yields the moment its next step happens, then takes
that step (log, gather, propose, decide, ban, letter, close...) with the
service a user would call. The runner interleaves every case's steps in time
order under the demo clock, so references are numbered in the order the cases
were logged, every event, history row, deadline and letter date is what it
would have been, and cases that have sat too long in a stage are overdue today.

This module is demo data, not a service layer: it writes only through
incidents.services, sanctions.responses.services, ban_services and letter_services
(the person's photo is the one exception; see `photo`).
"""

import heapq
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from conduct.generated.demo.clock import DemoClock
from incidents import services as incident_services
from incidents.models import BreachCategory, Location, Person, Relationship, StatementKind
from incidents.uploads import check_upload
from incidents.workflow import Stage
from sanctions.bans import services as ban_services
from sanctions.letters import delivery
from sanctions.letters import services as letter_services
from sanctions.models import (
    BAN_LETTER_KINDS,
    ActionKind,
    BanRoute,
    ConsultationMethod,
    DecisionOutcome,
    Letter,
    LetterKind,
    LetterStatus,
    SentBy,
)
from sanctions.responses import services as sanction_services

_STAFF = {
    "asp": {"office": "office", "senior": "deputy", "head": "head", "chair": "chair"},
    # St Mary's demo has no senior leader or Chair account: its head gathers and proposes,
    # and its ban proposal waits for a Chair who has not logged in.
    "smp": {"office": "office2", "senior": "head2", "head": "head2", "chair": None},
}


class Demo:
    def __init__(self, *, schools, users, people):
        self.schools = {school.code: school for school in schools}
        self.users = users
        self.people_data = people
        self.people = {}
        self.parts_done = set()
        self.clock = DemoClock()
        self.real_now = timezone.now()
        self.today = timezone.localdate()
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.cases = []
        # Instants already used by some step: two cases logged in the same minute would leave
        # their order (and so which reference came first) to the database's whim.
        self.instants = set()

    def run(self, scripts):
        """scripts: [(school code, case function)]. Each function takes a Case and yields datetimes."""
        queue = []
        with self.clock.running():
            for seq, (code, script) in enumerate(scripts):
                case = Case(self, code)
                steps = script(case)
                when = next(steps, None)
                if when is not None:
                    heapq.heappush(queue, (when, seq, case, steps))
            while queue:
                when, seq, case, steps = heapq.heappop(queue)
                # Steps never happen after the real now, nor before the case's previous step.
                when = min(when, self.real_now)
                if case.now is not None and when <= case.now:
                    when = min(case.now + timedelta(minutes=2), self.real_now)
                while when in self.instants and when + timedelta(minutes=1) <= self.real_now:
                    when += timedelta(minutes=1)
                self.instants.add(when)
                case.now = when
                self.clock.set(when)
                following = next(steps, None)
                if following is not None:
                    heapq.heappush(queue, (following, seq, case, steps))

    def person(self, key, case):
        if key not in self.people:
            data = dict(self.people_data[key])
            # Matched by name too: on a second run one school may already hold the person.
            existing = Person.objects.filter(full_name=data["full_name"]).first()
            if existing is not None:
                self.people[key] = existing
            else:
                data.pop("parts", None)
                data.setdefault("relationship", Relationship.PARENT)
                self.people[key] = incident_services.person_create(actor=case.office, school=case.school, **data)
                self.parts_done.add((key, case.school.code))
        return self.people[key]

    def school_part(self, key, case) -> None:
        """Once a second school names the person in a case, it records its own notes and pupils."""
        part = self.people_data[key].get("parts", {}).get(case.school.code)
        if part is None or (key, case.school.code) in self.parts_done:
            return
        self.parts_done.add((key, case.school.code))
        person = Person.objects.get(pk=self.people[key].pk)
        self.people[key] = incident_services.person_update(
            actor=case.office, person=person, expected_version=person.version, school=case.school,
            notes=part["notes"], link_pupils=part["pupils"], add_aliases=part.get("aliases", ()))


class Case:
    def __init__(self, demo, code):
        self.demo = demo
        self.school = demo.schools[code]
        staff = _STAFF[code]
        self.office, self.senior = demo.users[staff["office"]], demo.users[staff["senior"]]
        self.head, self.chair = demo.users[staff["head"]], demo.users.get(staff["chair"])
        self.now = None
        self.incident = None
        self.ban = None
        self.review_record = None
        self.staff_harm = None
        self.complaint = None
        # When this case's work starts each morning: 8.40 to about 12.00, so steps do not all share one minute.
        self.morning = timedelta(minutes=(37 * len(demo.cases)) % 200)
        demo.cases.append(self)

    # When -------------------------------------------------------------------------------

    def day(self, days_ago, at="09:00"):
        """`days_ago` days before today at `at` (London). A date three or more days back moves to a
        school day: off a weekend, out of the summer and Christmas holidays (to the start of
        the next term, or the end of the last when that would be too recent). A case of the
        last two months moves only if that changes its age by three days at most, else it stays
        in the holiday: early in a term, a case meant to be two weeks old would be one week or
        seven weeks old, and what it shows (overdue, a deadline still to come) would not hold."""
        date = self.demo.today - timedelta(days=days_ago)
        if days_ago >= 3:
            holiday = _holiday(date)
            if holiday is not None:
                after, before = holiday
                for candidate, too_recent in ((after, 7), (before, 0)):
                    age = (self.demo.today - candidate).days
                    if age >= too_recent and (days_ago >= 60 or abs(age - days_ago) <= 3):
                        date = candidate
                        break
            date = school_day(date)
        hour, minute = (int(part) for part in at.split(":"))
        return datetime.combine(date, time(hour, minute), tzinfo=self.demo.zone)

    def later(self, *, days=0, hours=0, minutes=0):
        """After the previous step: `days` later starts the working day (each case at its own
        time of the morning), and a step that would fall in the evening or night waits for the
        next morning. A weekend moves on to the Monday (forward, so deadlines still hold) when
        that Monday is past."""
        local = self.now.astimezone(self.demo.zone)
        if days:
            local = (local + timedelta(days=days)).replace(hour=8, minute=40) + self.morning
        when = local + timedelta(hours=hours, minutes=minutes)
        if when.hour >= 18:
            when = (when + timedelta(days=1)).replace(hour=8, minute=40) + self.morning
        elif when.hour < 8:
            when = when.replace(hour=8, minute=40) + self.morning
        if when.weekday() >= 5:
            monday = when + timedelta(days=7 - when.weekday())
            if monday.date() < self.demo.today:
                when = monday
        return when

    def today(self):
        return timezone.localdate()

    # People ----------------------------------------------------------------------------

    def person(self, key):
        return self.demo.person(key, self)

    def photo(self, person, upload):
        # No service sets a person's photo yet (the admin does); the same upload
        # check applies and the history names who added it.
        check_upload(upload)
        person.photo.save(f"{uuid.uuid4().hex}.jpg", upload, save=False)
        person._change_reason = "Photo added"
        person._history_user = self.office
        person.full_clean()
        person.save()

    def code_given(self, person, *, given_on, how, note=""):
        incident_services.code_given_record(actor=self.office, person=self.person(person), school=self.school,
                                            given_on=given_on, how=how, note=note)

    def collector(self, person, name, relationship, *, told_on=None):
        incident_services.collector_add(actor=self.office, person=self.person(person), school=self.school,
                                        name=name, relationship=relationship, told_on=told_on)

    # Reported, gathering, conversation ----------------------------------------------------------

    def log(self, *, subjects, categories, description, hours_before=3, location=Location.PREMISES,
            detail="", reported_by="Class teacher", witnesses=(), pupils_affected="", staff_affected="",
            evidence=()):
        self.incident = incident_services.incident_create(
            actor=self.office, school=self.school, occurred_at=self.now - timedelta(hours=hours_before),
            location=location, location_detail=detail, description=description,
            categories=BreachCategory.objects.filter(code__in=categories),
            subjects=[self.person(key) for key in subjects], witnesses=[self.person(key) for key in witnesses],
            reported_by=reported_by, pupils_affected=pupils_affected, staff_affected=staff_affected,
            evidence_files=[(upload, note) for upload, note in evidence],
        )
        for key in [*subjects, *witnesses]:
            self.demo.school_part(key, self)
        return self.incident

    def evidence(self, upload, description, actor=None):
        incident_services.evidence_add(actor=actor or self.office, incident=self.incident, upload=upload,
                                       description=description)

    def gather(self):
        incident_services.incident_transition(actor=self.senior, incident=self.incident, to_stage=Stage.GATHERING)

    def statement(self, given_by, text, *, kind=StatementKind.STAFF, others_present="", hours_before=1):
        incident_services.statement_add(
            actor=self.senior, incident=self.incident, kind=kind, given_by=given_by,
            taken_on=self.now - timedelta(hours=hours_before), text=text, others_present=others_present,
        )

    def to_conversation(self):
        incident_services.incident_transition(actor=self.senior, incident=self.incident,
                                              to_stage=Stage.CONVERSATION)

    def spoke(self, parent_said, agreed="", present=None, hours_before=1):
        incident_services.conversation_record(
            actor=self.senior, incident=self.incident, took_place=True,
            held_on=self.now - timedelta(hours=hours_before),
            present=present or f"{self.senior.get_full_name()} and the parent", parent_said=parent_said,
            agreed=agreed,
        )

    def not_spoken(self, reason, detail):
        incident_services.conversation_record(
            actor=self.senior, incident=self.incident, took_place=False, not_possible_reason=reason,
            not_possible_detail=detail,
        )

    # Staff harmed (issue 26) ---------------------------------------------------------------

    def harm(self, staff, what_happened, injury, days_off=0):
        """`staff`: a demo user (their account and name) or a name. Recorded by the office."""
        name, account = (staff, None) if isinstance(staff, str) else (staff.get_full_name(), staff)
        self.staff_harm = incident_services.staff_harm_record(
            actor=self.office, incident=self.incident, name=name, staff_account=account,
            what_happened=what_happened, injury=injury, days_off=days_off)
        return self.staff_harm

    def days_off(self, days):
        self.staff_harm = incident_services.staff_harm_days_update(
            actor=self.office, harm=self.staff_harm, days_off=days, expected_version=self.staff_harm.version)

    def support(self, what):
        incident_services.staff_support_record(actor=self.head, harm=self.staff_harm, what=what,
                                               offered_on=timezone.localtime(self.now).date())

    # Response ------------------------------------------------------------------------------

    def propose(self, actions, rationale, ban_justification=""):
        sanction_services.proposal_submit(actor=self.senior, incident=self.incident, actions=actions,
                                          rationale=rationale, ban_justification=ban_justification)

    def consult(self, view, *, signed_off=True, reasons_not_signed="", method=ConsultationMethod.PHONE):
        sanction_services.consultation_record(
            actor=self.chair, incident=self.incident, consulted_on=self.today(), method=method, chair_view=view,
            signed_off=signed_off, reasons_not_signed=reasons_not_signed,
        )

    def decide(self, reasons, *, outcome=DecisionOutcome.APPROVED, actions=None):
        return sanction_services.decision_record(actor=self.head, incident=self.incident, outcome=outcome,
                                                 reasons=reasons, actions=actions)

    def done(self, kind, details, reference=""):
        decision = sanction_services.latest_decision(self.incident)
        action = decision.followups.get(kind=kind)
        sanction_services.action_complete(actor=self.senior, action=action, done_on=self.today(),
                                          details=details, reference=reference)

    def close(self, outcome):
        sanction_services.case_close(actor=self.head, incident=self.incident, outcome=outcome)

    def reopen(self, reason):
        sanction_services.case_reopen(actor=self.head, incident=self.incident, reason=reason)

    # Letters ------------------------------------------------------------------------------

    def letter(self, kind, *, sent_by=SentBy.POST, specific=""):
        """Draft (or take the ban service's draft of) a letter of `kind`, then the head issues it."""
        if kind in BAN_LETTER_KINDS:
            letter = Letter.objects.get(incident=self.incident, ban=self.ban, kind=kind, status=LetterStatus.DRAFT)
            if specific:
                letter = letter_services.letter_update(
                    actor=self.senior, letter=letter, facts=letter.facts, specific_paragraphs=specific,
                    expected_version=letter.version,
                )
        else:
            letter = letter_services.letter_draft(actor=self.senior, incident=self.incident, kind=kind,
                                                  specific_paragraphs=specific)
        if not letter.facts_for_parent:
            self.account_for_parent()
            letter.refresh_from_db()
        letter = letter_services.letter_issue(actor=self.head, letter=letter, sent_by=sent_by)
        return self.deliver(letter)

    def deliver(self, letter):
        """The office posts or hands over what was issued, except this week's post, which waits in the print pack.
        (Letters by email go when the demo's transaction commits, to the demo's dummy mail backend.)"""
        if letter.sent_by == SentBy.HAND:
            return delivery.letter_hand_record(actor=self.office, letter=letter,
                                               handed_over_by=self.head.get_full_name(), handed_at=timezone.now())
        if letter.sent_by == SentBy.POST and self.today() < self.demo.today - timedelta(days=3):
            return delivery.letter_post_mark(actor=self.office, letter=letter, posted_on=self.today())
        return letter

    def account_for_parent(self, text=""):
        """The senior leader rewrites the office's description for the parent, as every case's letters need."""
        incident = self.incident
        place = incident.location_detail or incident.get_location_display().lower()
        text = text or (
            f"On {incident.occurred_at:%A} {incident.occurred_at.day} {incident.occurred_at:%B %Y}, at {place}, "
            "staff recorded that what you said and did towards members of the school community broke the code "
            "of conduct, in the ways set out below. You have been able to give your own account of it."
        )
        account = letter_services.case_account(incident, actor=self.senior)
        letter_services.case_account_update(actor=self.senior, incident=incident, text=text,
                                            expected_version=account.version)

    def correct(self, letter, facts, sent_by=SentBy.POST):
        draft = letter_services.letter_correct(actor=self.senior, letter=letter)
        draft = letter_services.letter_update(actor=self.senior, letter=draft, facts=facts,
                                              specific_paragraphs=draft.specific_paragraphs,
                                              expected_version=draft.version)
        return self.deliver(letter_services.letter_issue(actor=self.head, letter=draft, sent_by=sent_by))

    # Bans ---------------------------------------------------------------------------------

    def ban_start(self, person, *, route, days, reasons, arrangements, review_after=None, review_on=None):
        today = self.today()
        representations_by = today + timedelta(days=self.school.representation_days)
        starts_on = today if route == BanRoute.PROVISIONAL else representations_by + timedelta(days=1)
        # Never past the school's longest ban, even when the end moves on to a school day.
        ends_on = min(school_day(starts_on + timedelta(days=days)),
                      ban_services.latest_end(starts_on, self.school.max_ban_months))
        if review_on is None:
            review_on = starts_on + timedelta(days=review_after or days // 2)
        review_on = max(school_day(review_on), starts_on)
        self.ban = ban_services.ban_create(
            actor=self.head, incident=self.incident, person=self.person(person), route=route,
            sites=[self.school], starts_on=starts_on, ends_on=ends_on, review_on=review_on,
            pupil_arrangements=arrangements, reasons=reasons, representations_by=representations_by,
        )
        return self.ban

    def representations(self, summary):
        ban_services.representation_record(actor=self.senior, ban=self.ban, received_on=self.today(),
                                           summary=summary)

    def no_representations(self):
        ban_services.ban_note_no_representations(actor=self.senior, ban=self.ban)

    def confirm(self, reasons):
        self.ban = ban_services.ban_confirm(actor=self.head, ban=self.ban, reasons=reasons)

    def withdraw(self, reasons):
        self.ban = ban_services.ban_withdraw(actor=self.head, ban=self.ban, reasons=reasons)

    def review(self, outcome, reasons, next_review_on=None):
        if next_review_on is not None:
            next_review_on = school_day(next_review_on)
        self.review_record = ban_services.ban_review(actor=self.head, ban=self.ban, outcome=outcome,
                                                     reasons=reasons, next_review_on=next_review_on)
        self.ban.refresh_from_db()

    def end_ban(self):
        self.ban = ban_services.ban_end(actor=self.head, ban=self.ban)

    # Complaints ---------------------------------------------------------------------------

    def complain(self, summary, *, stage="informal"):
        """The banned parent complains about the ban under the trust's complaints procedure."""
        from sanctions.complaints import services as complaint_services

        self.complaint = complaint_services.complaint_record(
            actor=self.senior, incident=self.incident, complainant=self.ban.person, received_on=self.today(),
            summary=summary, stage=stage, ban=self.ban)

    def complaint_outcome(self, outcome, reasons, *, sent_by=SentBy.POST):
        """The stage's outcome, and the head issues the letter that tells the complainant."""
        from sanctions.complaints import services as complaint_services

        _step, letter = complaint_services.complaint_outcome_record(
            actor=self.head, complaint=self.complaint, outcome=outcome, outcome_on=self.today(), reasons=reasons)
        self.complaint.refresh_from_db()
        if letter is not None:
            self.deliver(letter_services.letter_issue(actor=self.head, letter=letter, sent_by=sent_by))

    def escalate(self):
        from sanctions.complaints import services as complaint_services

        self.complaint = complaint_services.complaint_escalate(actor=self.head, complaint=self.complaint,
                                                               requested_on=self.today())


def _holiday(date):
    """(first day of the next term, last day of the last) when `date` is in the summer or Christmas holiday."""
    if (7, 22) <= (date.month, date.day) <= (9, 3):
        return date.replace(month=9, day=4), date.replace(month=7, day=21)
    if (date.month, date.day) >= (12, 20):
        return date.replace(year=date.year + 1, month=1, day=5), date.replace(day=18)
    if (date.month, date.day) <= (1, 4):
        return date.replace(day=5), date.replace(year=date.year - 1, month=12, day=18)
    return None


def school_day(date):
    """The date, or the Friday before it when it falls at a weekend."""
    return date - timedelta(days=max(0, date.weekday() - 4))


_ROUTINE_STAGES = ["reported", "gathering", "conversation", "proposed", "awaiting_chair", "decided"]


def routine(c, person, days_ago, categories, description, *, end, location=Location.PREMISES,
            detail="the main gate at pick-up time", at="15:20", reported_by="The teacher on the gate"):
    """A plain case carried to `end`: a stage, "decided-<response>" or "closed-<response>"
    (response: nfa, meeting or warning). Steps a day or two apart, as a school works."""
    stage, _, response = end.partition("-")
    target = _ROUTINE_STAGES.index(stage) if stage in _ROUTINE_STAGES else len(_ROUTINE_STAGES)
    yield c.day(days_ago, at)
    c.log(subjects=[person], categories=categories, description=description, location=location, detail=detail,
          hours_before=0.4, reported_by=reported_by)
    if target < 1:
        return
    yield c.later(days=1)
    c.gather()
    c.statement(reported_by, f"What I saw: {description}")
    if target < 2:
        return
    yield c.later(days=1)
    c.to_conversation()
    if target < 3:
        return
    yield c.later(days=1, hours=2)
    c.spoke("They accepted what happened and were sorry.", "They will follow the code of conduct.")
    yield c.later(days=1)
    if stage == "awaiting_chair":
        c.propose([ActionKind.SITE_BAN], "Staff felt threatened.", "The behaviour has been repeated despite requests.")
        return
    action = {"nfa": ActionKind.NO_FURTHER_ACTION, "meeting": ActionKind.MEETING}.get(
        response, ActionKind.WARNING_LETTER)
    c.propose([action], "Proportionate to what happened and what the parent said.")
    if target < 5:
        return
    yield c.later(days=1)
    c.decide("Agreed: proportionate.")
    if stage == "decided":
        return
    if action == ActionKind.MEETING:
        # Invited by telephone, as most meetings are: the letters are shown by the longer stories.
        yield c.later(days=2)
        c.done(ActionKind.MEETING, "Met a senior leader in school; the parent agreed to follow the code.")
    elif action == ActionKind.WARNING_LETTER:
        yield c.later(hours=3)
        c.letter(LetterKind.WARNING)
    yield c.later(days=3)
    c.close({"nfa": "Spoken to; no further action needed.", "meeting": "Met a senior leader; no further incident.",
             }.get(response, "Warning letter sent; no further incident."))
