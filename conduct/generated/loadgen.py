"""Load data at the scale of a large trust, written by bulk inserts.

`manage.py generate_load_data` calls `generate()`. This is a bulk generator of
test data, the one kind of writer allowed around the services: 200,000 cases
through the services would take hours. It writes, row for row, what the
services would have written: the same fields, the case timeline with the
services' kinds and summaries (from_stage/to_stage on stage events), the
constraints' shapes (a closed case has an outcome, a pupil's account says who
was present, a ban rests on a signed-off consultation that its decision names,
an issued letter has its PDF, SHA-256, date and way of sending, one pending
proposal per case), references as `<CODE>-<year>-<NNNN>` numbered in logging
order. It lives in sanctions because it writes both apps' records.

History: simple-history rows are written where something reads them: every
Incident change (with its categories, as the m2m history copies them) and
each Person's creation. The case page and `conduct_audit` read those. The
other models' history tables are left empty: nothing reads them yet.

Rows go in as plain INSERTs (SQLite, executemany on the raw connection) or
COPY (PostgreSQL, psycopg 3), with ids counted here from the tables' maxima,
one transaction per batch of cases; sequences are reset and ANALYZE run at
the end. Each case is planned from its own seeded random generator, first
to learn when it was logged (cases are then written in logging order, so
ids and reference numbers rise with time, as the service's would) and again
to write it.

Landmarks for benchmarks (see `landmarks()`): one person added at the first
school (All Saints, "asp") named FREQUENT_PERSON_NAME, who is the subject of
FREQUENT_INCIDENTS cases there; the newest of those cases is the busy case,
with BUSY_CASE_EVENTS timeline events.
"""

import hashlib
import json
import queue
import random
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from conduct.management.commands.seed_demo import ACCOUNTS, PASSWORD, SCHOOLS
from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from incidents.models import (
    BreachCategory,
    CaseEvent,
    Incident,
    IncidentPerson,
    Involvement,
    NotPossibleReason,
    ParentConversation,
    Person,
    PersonSchool,
    Pupil,
    Statement,
)
from incidents.search import resume_search_indexes, suspend_search_indexes
from incidents.workflow import Stage
from sanctions.models import (
    ActionKind,
    BanReview,
    ChairConsultation,
    Decision,
    DecisionAction,
    DecisionOutcome,
    Letter,
    LetterKind,
    Proposal,
    Representation,
    ReviewOutcome,
    SentBy,
    SiteBan,
)

FREQUENT_PERSON_NAME = "Desmond Featherstonehaugh"
FREQUENT_INCIDENTS = 40
BUSY_CASE_EVENTS = 50
TRUST_NAME = "All Saints MAT"

DAY = 86400
HOUR = 3600
YEARS = 4

STAGE_LABEL = {s.value: s.label for s in Stage}
ACTION_LABEL = {a.value: a.label for a in ActionKind}
LETTER_LABEL = {k.value: k.label for k in LetterKind}
SENT_LABEL = {s.value: s.label.lower() for s in SentBy}
OUTCOME_LABEL = {o.value: o.label.lower() for o in DecisionOutcome}
REASON_LABEL = {r.value: r.label.lower() for r in NotPossibleReason}
REVIEW_LABEL = {r.value: r.label for r in ReviewOutcome}
TRANSITION_LABEL = {
    (Stage.REPORTED, Stage.GATHERING): "Start gathering information",
    (Stage.GATHERING, Stage.CONVERSATION): "Move to the parent conversation",
    (Stage.CONVERSATION, Stage.PROPOSED): "Propose a response",
    (Stage.CONVERSATION, Stage.AWAITING_CHAIR): "Propose a response",
    (Stage.PROPOSED, Stage.PROPOSED): "Revise the proposal",
    (Stage.PROPOSED, Stage.AWAITING_CHAIR): "Revise the proposal",
    (Stage.AWAITING_CHAIR, Stage.PROPOSED): "Record the consultation",
    (Stage.PROPOSED, Stage.DECIDED): "Decide the response",
    (Stage.DECIDED, Stage.CLOSED): "Close the case",
    (Stage.CLOSED, Stage.DECIDED): "Reopen the case",
}
# Issuing a letter of this kind completes this action (sanctions.letters.services.ACTION_FOR_KIND).
ACTION_FOR_KIND = {"meeting": "meeting", "warning": "warning", "intended_ban": "ban", "provisional_ban": "ban"}

# Realism ------------------------------------------------------------------------------------

FIRST = ["James", "Sarah", "Mark", "Emma", "Paul", "Claire", "David", "Rachel", "Steven", "Laura", "Daniel",
         "Gemma", "Lee", "Kelly", "Craig", "Donna", "Wayne", "Nicola", "Gary", "Leanne", "Darren", "Michelle",
         "Jason", "Hayley", "Carl", "Stacey", "Ryan", "Natalie", "Adam", "Joanne", "Simon", "Kerry", "Neil",
         "Amanda", "Stuart", "Victoria", "Dean", "Samantha", "Jamie", "Charlotte", "Ian", "Zoe", "Tom", "Priya",
         "Mohammed", "Aisha", "Tomasz", "Agnieszka", "Kwame", "Grace", "Sean", "Siobhan", "Rhys", "Bethan"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel",
        "Khan", "Lewis", "Harris", "Martin", "Cooper", "King", "Lee", "Baker", "Hill", "Moore", "Turner", "Parker",
        "Ward", "Mitchell", "Carter", "Phillips", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
        "Rogers", "Morgan", "Bell", "Bailey", "Kowalski", "Nowak", "Mensah", "Okafor", "O'Brien", "Hughes", "Price"]
CHILD = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy", "Leo", "Lily",
         "Arthur", "Freya", "Oscar", "Florence", "Charlie", "Willow", "Theo", "Evie", "Alfie", "Ella", "Finley",
         "Poppy", "Archie", "Sophia", "Muhammad", "Zara", "Jacob", "Ruby"]
YEAR_GROUPS = ["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]
TOWNS = [("Ashford", "TN23"), ("Canterbury", "CT1"), ("Maidstone", "ME14"), ("Folkestone", "CT20"),
         ("Tonbridge", "TN9"), ("Sevenoaks", "TN13"), ("Faversham", "ME13"), ("Dover", "CT16"),
         ("Margate", "CT9"), ("Whitstable", "CT5"), ("Hythe", "CT21"), ("Deal", "CT14")]
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road", "The Green",
           "Orchard Close", "Queens Road", "London Road", "Oak Drive", "Meadow Way", "Chapel Street",
           "Bridge Street", "Kings Road", "Beech Grove", "Rectory Lane", "Windmill Hill"]
SCHOOL_NAMES = [
    ("bkf", "Brookfield Primary School"), ("hlc", "Hillcrest Primary School"), ("okw", "Oakwood Junior School"),
    ("wlb", "Willow Bank Infant School"), ("hth", "Heathside Primary Academy"), ("agv", "Ashgrove Primary School"),
    ("stj", "St John's Church of England Primary School"), ("mdw", "Meadowview Primary School"),
    ("cfd", "Castlefield Primary School"), ("rvs", "Riverside Community Primary School"),
    ("kgw", "Kingswood Primary School"), ("lnd", "Longmead Primary School"), ("pkl", "Parkland Junior School"),
    ("spk", "St Peter's Catholic Primary School"), ("wfd", "Westfield Primary School"),
    ("bch", "Beechwood Infant School"), ("grf", "Greenfield Primary Academy"), ("hmr", "Holmer Green Primary"),
    ("nth", "Northgate Primary School"), ("fxh", "Foxhill Primary School"), ("elm", "Elmstead Primary School"),
    ("orc", "Orchard Primary School"), ("sdl", "Sandling Primary School"), ("thn", "Thornden Junior School"),
    ("vly", "Valley Park Primary School"), ("wdc", "Woodchurch Primary School"), ("cbr", "Chilham Brook Primary"),
    ("dnm", "Denmark Road Primary School"), ("ewl", "Ewell Park Infant School"), ("frt", "Fairtree Primary"),
]

PLACES = {
    "premises": ["the main gate at pick-up time", "the school office", "the playground before school",
                 "reception", "the Key Stage 1 entrance", "the school car park", "the school hall during a concert",
                 "the classroom door at home time", "the field during sports day"],
    "off_site": ["the pavement outside the school", "the bus stop on Station Road", "the local park after school",
                 "the supermarket car park"],
    "online": ["a parents' Facebook group", "email to the class teacher", "the class WhatsApp group",
               "text messages to the school office", "voicemail left on the office phone"],
}
ONLINE_CATEGORIES = ["abusive-messages", "derogatory-social-media", "libellous-posts", "cyber-bullying"]
STAFF = ["the class teacher", "the office manager", "the deputy head", "a teaching assistant",
         "the Head of School", "a lunchtime supervisor", "the site manager", "the SENCo"]
TEMPLATES = {
    "disruptive-behaviour": "{name} refused to leave {place} when asked by {staff} and held up the start of the day.",
    "inappropriate-behaviour": "{name} filmed children at {place} on a phone and would not stop when asked.",
    "offensive-language": "{name} shouted and swore at {staff} at {place} after being told a trip was full.",
    "threatening": "{name} told {staff} at {place} that they would 'be sorted out' if it happened again.",
    "property-damage": "{name} kicked the gate at {place} and broke the latch.",
    "abusive-messages": "{name} sent abusive messages to {staff} ({place}) over a weekend.",
    "derogatory-social-media": "{name} posted derogatory comments about {staff} in {place}.",
    "aggression": "{name} pushed past {staff} at {place} and grabbed their arm.",
    "approaching-child": "{name} approached another pupil at {place} to tell them off about an argument.",
    "smoking-drugs-alcohol": "{name} was smoking at {place} during pick-up and refused to put it out.",
    "dogs": "{name} brought a dog into {place} again after being asked not to.",
    "libellous-posts": "{name} posted untrue allegations about {staff} in {place}.",
    "cyber-bullying": "{name} repeatedly posted about another family in {place}.",
}
REPORTERS = ["Class teacher", "Office manager", "Deputy head", "Lunchtime supervisor", "Site manager",
             "A parent", "Teaching assistant", "Head of School"]
STATEMENTS = {
    "staff": ("Mrs Lee, Year 4 teacher", "I saw the parent raise their voice and point at the member of staff."),
    "witness": ("Another parent at the gate", "I was standing nearby and heard the whole exchange."),
    "parent": ("The parent", "I was upset about how my child had been treated and lost my temper."),
    "pupil": ("The pupil", "My mum was cross because of what happened at lunch."),
}
RATIONALES = {
    "nfa": "The parent apologised at once; nothing further is needed.",
    "meeting": "A first incident: a meeting to agree how concerns are raised is proportionate.",
    "warning": "The behaviour breached the code of conduct: a warning letter is proportionate.",
    "authorities": "The behaviour may be criminal and the police should be told.",
    "legal": "The posts may be defamatory: the trust's legal team should advise.",
    "report_post": "The post should be reported to the network and its removal asked for.",
    "ban": "Staff felt threatened; a ban from the site protects staff and pupils.",
}
ACTION_SETS = [(["meeting"], 30), (["warning"], 28), (["meeting", "warning"], 14), (["nfa"], 12),
               (["warning", "authorities"], 4), (["legal"], 2), (["report_post", "warning"], 6), (["authorities"], 4)]
OUTCOMES = ["The parent apologised and there has been no further breach.",
            "Warning letter sent; the parent has kept to the code since.",
            "Met the parent, who agreed to raise concerns by appointment.",
            "No further action needed after the conversation.",
            "The post was removed and the parent was warned."]

# Scenario: weight, how far from now its anchor step sits (days: ("exp", mean) or ("uni", lo, hi)).
SCENARIOS = {
    "reported": (3.0, ("exp", 1.5)), "gathering": (4.0, ("exp", 7)), "conversation": (3.0, ("exp", 7)),
    "proposed": (2.2, ("exp", 4)), "proposed_after_chair": (0.4, ("exp", 4)), "proposed_revised": (0.4, ("exp", 4)),
    "awaiting_chair": (0.8, ("exp", 4)), "decided": (4.5, ("exp", 14)), "closed": (76.0, ("uni", 1, 1400)),
    "closed_reopened": (1.0, ("uni", 5, 1400)), "closed_declined": (1.0, ("uni", 5, 1400)),
    "ban_decided": (0.1, ("exp", 2)), "ban_intended": (0.15, ("uni", 0, 20)), "ban_provisional": (0.1, ("uni", 0, 13)),
    # Provisional bans whose deadline for representations has passed: on the head's work list.
    "ban_provisional_late": (0.08, ("uni", 16, 40)),
    "ban_confirmed": (0.3, ("uni", 30, 300)), "ban_confirmed_open": (0.08, ("uni", 30, 200)),
    "ban_expired": (0.06, ("uni", 250, 500)), "ban_ended": (0.4, ("uni", 250, 1400)),
    "ban_lifted": (0.15, ("uni", 90, 1400)), "ban_withdrawn": (0.15, ("uni", 30, 1400)),
}
BAN_SCENARIOS = {k for k in SCENARIOS if k.startswith("ban_")}
# The furthest stage each scenario's case reaches: 0 reported ... 4 decided, 5 closed.
REACH = {"reported": 0, "gathering": 1, "conversation": 2, "proposed": 3, "proposed_after_chair": 3,
         "proposed_revised": 3, "awaiting_chair": 3, "decided": 4, "ban_decided": 4, "ban_intended": 4,
         "ban_provisional": 4, "ban_provisional_late": 4, "ban_confirmed_open": 4}
# Scenarios whose (first) proposal includes a ban.
BAN_PROPOSALS = BAN_SCENARIOS | {"awaiting_chair", "proposed_after_chair", "closed_declined", "busy"}

# Looked up once: each `Model.history` access builds a new manager class.
HISTORICAL_INCIDENT = Incident.history.model
HISTORICAL_CATEGORIES = HISTORICAL_INCIDENT.categories.model
HISTORICAL_PERSON = Person.history.model

# Columns per table, in the order the rows below are built.
COLUMNS = {
    Person: ("id", "full_name", "relationship", "address", "phone", "email", "photo", "added_at",
             "version", "added_at_school_id", "added_by_id"),
    HISTORICAL_PERSON: ("id", "full_name", "relationship", "address", "phone", "email", "photo",
                           "added_at", "version", "history_id", "history_date", "history_change_reason",
                           "history_type", "added_at_school_id", "added_by_id", "history_user_id"),
    # Each school links its own pupils (PersonSchoolNote holds notes; the generator writes none).
    Pupil: ("id", "name", "year_group", "person_id", "school_id"),
    Incident: ("id", "reference", "occurred_at", "location", "location_detail", "description", "pupils_affected",
               "staff_affected", "reported_by", "logged_at", "stage", "stage_changed_at", "outcome", "version",
               "logged_by_id", "school_id"),
    Incident.categories.through: ("id", "incident_id", "breachcategory_id"),
    HISTORICAL_INCIDENT: ("id", "reference", "occurred_at", "location", "location_detail", "description",
                             "pupils_affected", "staff_affected", "reported_by", "logged_at", "stage",
                             "stage_changed_at", "outcome", "version", "history_id", "history_date",
                             "history_change_reason", "history_type", "history_user_id", "logged_by_id",
                             "school_id"),
    HISTORICAL_CATEGORIES: ("id", "m2m_history_id", "breachcategory_id", "history_id",
                                                 "incident_id"),
    IncidentPerson: ("id", "involvement", "incident_id", "person_id"),
    CaseEvent: ("id", "at", "kind", "summary", "note", "from_stage", "to_stage", "actor_id", "incident_id"),
    Statement: ("id", "kind", "given_by", "taken_on", "others_present", "text", "recorded_at", "incident_id",
                "taken_by_id"),
    ParentConversation: ("id", "took_place", "held_on", "present", "parent_said", "agreed", "not_possible_reason",
                         "not_possible_detail", "recorded_at", "incident_id", "recorded_by_id"),
    Proposal: ("id", "actions", "rationale", "ban_justification", "includes_ban", "status", "proposed_at",
               "incident_id", "proposed_by_id"),
    ChairConsultation: ("id", "consulted_on", "method", "chair_view", "signed_off", "reasons_not_signed",
                        "recorded_at", "chair_id", "incident_id", "proposal_id", "ban_id"),
    Decision: ("id", "decided_at", "outcome", "actions", "reasons", "includes_ban", "consultation_id", "head_id",
               "incident_id", "proposal_id"),
    DecisionAction: ("id", "kind", "done", "done_on", "details", "reference", "decision_id", "done_by_id"),
    SiteBan: ("id", "route", "status", "starts_on", "ends_on", "original_ends_on", "review_on", "representations_by",
              "pupil_arrangements", "reasons", "no_representations_noted", "created_at", "version",
              "consultation_id", "created_by_id", "decision_id", "incident_id", "person_id", "confirmation_reasons",
              "lifted_on"),
    SiteBan.sites.through: ("id", "siteban_id", "school_id"),
    Representation: ("id", "received_on", "summary", "attachment", "attachment_name", "recorded_at",
                     "recorded_by_id", "ban_id"),
    BanReview: ("id", "reviewed_on", "outcome", "new_ends_on", "next_review_on", "reasons", "reviewed_by_id",
                "consultation_id", "ban_id"),
    Letter: ("id", "kind", "status", "specific_paragraphs", "drafted_at", "pdf", "sha256", "issued_at", "sent_by",
             "version", "drafted_by_id", "incident_id", "issued_by_id", "person_id", "ban_id", "facts",
             "supersedes_id", "review_id", "facts_for_parent", "reasons", "pupil_arrangements", "html",
             "delivered_at", "delivered_to", "message_id", "handed_over_by", "delivery_error"),
}
# A generated letter's columns after review_id: written for the parent, its own words empty, not yet delivered.
LETTER_DELIVERED_AT = 22
PLACEHOLDER_PDF = b"%PDF-1.7\n% replaced by a rendered letter before generate() returns\n"
PLACEHOLDER_SHA = hashlib.sha256(PLACEHOLDER_PDF).hexdigest()


class GeneratedDataExists(Exception):
    pass


def landmarks():
    """{"busy_case": Incident, "frequent_person": Person} in a generated database.

    The person is found by name through the `person_name_order` index (full_name, id);
    the busy case is the newest of that person's incidents: an index lookup on
    IncidentPerson.person_id (40 rows) joined to the incidents by primary key.
    """
    person = Person.objects.filter(full_name=FREQUENT_PERSON_NAME).order_by("full_name", "id").first()
    if person is None:
        return {"busy_case": None, "frequent_person": None}
    busy = (Incident.objects.filter(person_links__person=person, person_links__involvement=Involvement.SUBJECT)
            .order_by("-occurred_at", "-pk").first())
    return {"busy_case": busy, "frequent_person": person}


def generated_data_exists() -> bool:
    return Person.objects.filter(full_name=FREQUENT_PERSON_NAME).exists()


# Writing -----------------------------------------------------------------------------------


class _Writer:
    """Plain INSERTs on SQLite, COPY on PostgreSQL, through the connection Django holds."""

    def __init__(self):
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.seconds = defaultdict(float)
        self.counts = defaultdict(int)
        self.queue = None
        self.error = None
        if self.vendor == "sqlite":
            # Only while generating: the whole run is repeatable, so a crash loses nothing that matters.
            # (SQLite refuses the change inside a transaction, as under a test; it only costs speed there.)
            if self.raw.in_transaction is False:
                self.raw.execute("PRAGMA synchronous=OFF")
            self.raw.execute("PRAGMA cache_size=-400000")
        elif self.vendor != "postgresql":
            raise NotImplementedError(f"generate_load_data writes to SQLite or PostgreSQL, not {self.vendor}.")

    def write(self, batch):
        """[(model, rows)] in one transaction: on PostgreSQL, outside a transaction, while the next batch is built."""
        if self.error is not None:
            raise self.error
        if self.vendor == "postgresql" and not connection.in_atomic_block:
            if self.queue is None:
                # Its own connection, so the server checks and indexes one batch while Python builds the next.
                self.background = connection.get_new_connection(connection.get_connection_params())
                self.queue = queue.Queue(maxsize=1)
                self.thread = threading.Thread(target=self._drain, daemon=True)
                self.thread.start()
            self.queue.put(batch)
            return
        with transaction.atomic():
            for model, rows in batch:
                self.insert(model, rows)

    def _drain(self):
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                with self.background.transaction():
                    for model, rows in batch:
                        self.insert(model, rows, raw=self.background)
            except Exception as error:  # raised again in the main thread by write() or wait()
                self.error = error

    def wait(self):
        if self.queue is not None:
            self.queue.put(None)
            self.thread.join()
            self.background.close()
            self.queue = None
        if self.error is not None:
            raise self.error

    def insert(self, model, rows, raw=None):
        if not rows:
            return
        raw = raw or self.raw
        started = time.monotonic()
        table = model._meta.db_table
        columns = COLUMNS[model]
        # A column added to the model since this generator was written gets its default.
        extra = [f for f in model._meta.concrete_fields if f.column not in columns]
        if extra:
            columns = columns + tuple(f.column for f in extra)
            defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
            rows = [row + defaults for row in rows]
        names = ", ".join(f'"{c}"' for c in columns)
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            # Table and column names come from the models, never from input.
            self.raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # nosec B608
        else:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        self.seconds[table] += time.monotonic() - started
        self.counts[table] += len(rows)


class _Ids:
    def __init__(self, models):
        self.next = {}
        for model in models:
            pk = model._meta.pk.name
            self.next[model] = (model.objects.aggregate(m=Max(pk))["m"] or 0) + 1

    def take(self, model):
        value = self.next[model]
        self.next[model] = value + 1
        return value


# Time ---------------------------------------------------------------------------------------


def _business(t):
    """Move forward, never back, into 08:00-17:00 UTC (the same date in London all year)."""
    tod = t % DAY
    if tod < 8 * HOUR:
        return t - tod + 8 * HOUR + tod % 1800
    if tod > 17 * HOUR:
        return t - tod + DAY + 8 * HOUR + tod % 1800
    return t


class _Clock:
    def __init__(self, vendor, now):
        self.suffix = "+00" if vendor == "postgresql" else ""
        self.now = now
        self.today = now // DAY
        self._days = {}
        self._hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]

    def day(self, d):
        """Day number (days since 1970-01-01) as an ISO date."""
        text = self._days.get(d)
        if text is None:
            text = self._days[d] = (date(1970, 1, 1) + timedelta(days=d)).isoformat()
        return text

    def ts(self, t):
        return f"{self.day(t // DAY)} {self._hms[t % DAY]}{self.suffix}"

    def dmy(self, d):
        iso = self.day(d)
        return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"

    def year(self, t):
        return int(self.day(t // DAY)[:4])


# Plans ---------------------------------------------------------------------------------------


def _random(seed):
    # Repeatable made-up data, not secrets: a seeded generator is the point.
    return random.Random(seed)  # nosec B311


def _dwell(rng, spec):
    if spec[0] == "exp":
        return min(int(rng.expovariate(1 / spec[1]) * DAY), 120 * DAY)
    return rng.randint(spec[1] * DAY, spec[2] * DAY)


def _gap(rng, lo_hours, hi_hours):
    return rng.randint(int(lo_hours * HOUR), int(hi_hours * HOUR))


def _script(rng, scenario, now):
    """The steps of one case: [(gap seconds, step name, args)], and the anchor step's index.

    The anchor is the step that sits `dwell` before now: the last stage change of an open
    case, the closing of a closed one, the start of a ban.
    """
    steps = [(0, "log", ())]
    ban = scenario in BAN_SCENARIOS
    reach = REACH.get(scenario, 5)
    if scenario == "reported" and rng.random() < 0.2:
        steps.append((_gap(rng, 1, 20), "statement", ("staff",)))
    if reach >= 1:
        steps.append((_gap(rng, 1, 40), "stage", (Stage.GATHERING,)))
        anchor = len(steps) - 1
        count = rng.choice((1, 1, 2, 2, 3)) if reach >= 2 else rng.choice((0, 1, 2))
        for _ in range(count):
            steps.append((_gap(rng, 1, 30), "statement", (rng.choice(("staff", "staff", "witness", "parent",
                                                                        "pupil")),)))
    else:
        anchor = 0
    if reach >= 2:
        steps.append((_gap(rng, 2, 60), "stage", (Stage.CONVERSATION,)))
        anchor = len(steps) - 1
        if reach >= 3 or rng.random() < 0.3:
            steps.append((_gap(rng, 1, 60), "conversation", (rng.random() < 0.82,)))
    if reach >= 3:
        if ban or scenario in BAN_PROPOSALS:
            actions = ["ban", "authorities"] if rng.random() < 0.3 else ["ban"]
        else:
            actions = rng.choices([a for a, _ in ACTION_SETS], [w for _, w in ACTION_SETS])[0]
        steps.append((_gap(rng, 1, 48), "propose", (actions,)))
        anchor = len(steps) - 1
        if "ban" in actions and scenario != "awaiting_chair":
            signed = scenario != "closed_declined" and (scenario != "proposed_after_chair" or rng.random() < 0.6)
            steps.append((_gap(rng, 20, 96), "chair", (signed,)))
            anchor = len(steps) - 1
        if scenario == "proposed_revised" or (reach == 5 and not ban and rng.random() < 0.04):
            steps.append((_gap(rng, 2, 72), "decide", (DecisionOutcome.REJECTED, None)))
            actions = ["meeting", "warning"]
            steps.append((_gap(rng, 2, 72), "propose", (actions,)))
            anchor = len(steps) - 1
    if reach >= 4:
        if scenario == "closed_declined":
            actions = ["warning"]
            steps.append((_gap(rng, 24, 96), "decide", (DecisionOutcome.CHANGED, actions)))
        elif not ban and rng.random() < 0.1 and actions != ["nfa"]:
            actions = ["meeting"] if actions != ["meeting"] else ["warning"]
            steps.append((_gap(rng, 2, 96), "decide", (DecisionOutcome.CHANGED, actions)))
        else:
            steps.append((_gap(rng, 24 if ban else 2, 96), "decide", (DecisionOutcome.APPROVED, None)))
        anchor = len(steps) - 1
        followups = [a for a in actions if a not in ("nfa", "ban")]
        recent_letters = rng.random() < 0.03
        if ban:
            steps.append((_gap(rng, 20, 30), "ban_start", (scenario,)))
            anchor = len(steps) - 1
        for kind in followups:
            if reach < 5 and rng.random() < 0.5:
                if kind in ("meeting", "warning") and rng.random() < 0.5:
                    steps.append((_gap(rng, 1, 48), "letter_draft", (kind,)))
                continue
            if kind in ("meeting", "warning") and recent_letters:
                steps.append((_gap(rng, 2, 72), "letter_sent", (kind,)))
            else:
                steps.append((_gap(rng, 4, 240), "action_done", (kind,)))
        if ban:
            steps.append((0, "ban_finish", (scenario,)))
    if reach == 5:
        steps.append((_gap(rng, 1, 72), "close", ()))
        if scenario not in BAN_SCENARIOS:
            anchor = len(steps) - 1
        if scenario == "closed_reopened":
            steps.append((_gap(rng, 48, 400), "reopen", ()))
            steps.append((_gap(rng, 24, 200), "close", ()))
            anchor = len(steps) - 1
    if scenario.startswith("ban_") and scenario not in ("ban_decided",):
        steps.append((0, "ban_later", (scenario,)))
    return steps, anchor


def _place(steps, anchor, t_anchor):
    """The time of the log step so that the anchor step lands near t_anchor."""
    t0 = t_anchor - sum(gap for gap, _, _ in steps[1:anchor + 1])
    return _business(t0)


def _times(steps, t0):
    times = [t0]
    t = t0
    for gap, _, _ in steps[1:]:
        t = _business(t + gap)
        times.append(t)
    return times


# The generator -------------------------------------------------------------------------------


class _SchoolCtx:
    __slots__ = ("id", "code", "name", "office", "senior", "head", "chair", "people", "sibling")

    def __init__(self, school, users):
        self.id = school.pk
        self.code = school.code.upper()
        self.name = school.name
        self.office, self.senior, self.head, self.chair = users
        self.people = []
        self.sibling = None


class _Case:
    __slots__ = ("id", "ref", "school", "subject", "subject_name", "witness", "occurred", "logged", "location",
                 "detail", "description", "reported_by", "cats", "stage", "changed", "version", "outcome",
                 "proposals", "pending", "open_proposal", "decision", "actions", "consultation", "letters",
                 "ban", "scenario", "rng")


class Generator:
    def __init__(self, *, schools, incidents, people=None, seed=42, pdfs=50, out=None, batch=20000):
        self.n_schools = max(2, schools)
        self.n_incidents = incidents
        self.n_people = people or max(incidents // 3, 10)
        self.seed = seed
        self.pdfs = pdfs
        self.batch = batch
        self.out = out or (lambda line: None)
        self.rng = _random(seed)
        self.rows = defaultdict(list)
        self.issued = defaultdict(list)  # letter kind -> ids of issued letters
        self.issue_events = {}  # letter id -> id of the timeline event that says it was issued

    def say(self, line):
        self.out(line)

    # Setup ---------------------------------------------------------------------------------

    def _setup(self):
        password = make_password(PASSWORD)
        User = get_user_model()
        trust, _ = Trust.objects.get_or_create(name=TRUST_NAME)
        schools = []
        for data in SCHOOLS:
            school, _ = School.objects.get_or_create(code=data["code"], defaults={**data, "trust": trust})
            schools.append(school)
        names = list(SCHOOL_NAMES)
        for index in range(len(schools), self.n_schools):
            code, name = names[index - 2] if index - 2 < len(names) else (f"gen{index:03d}", f"School {index + 1}")
            town, postcode = TOWNS[index % len(TOWNS)]
            head = f"{self.rng.choice(('Mrs', 'Mr', 'Ms', 'Dr'))} {self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            chair = f"{self.rng.choice(('Mrs', 'Mr', 'Ms'))} {self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            phone = f"01{self.rng.randint(200, 899)} {self.rng.randint(100000, 999999)}"
            school, _ = School.objects.get_or_create(code=code, defaults={
                "trust": trust, "name": name, "address": f"{index + 3} School Lane\n{town}\nKent {postcode} 1AA",
                "phone": phone, "email": f"office@{code}.example.org", "head_name": head,
                "head_title": "Head of School", "chair_name": chair,
                "site_contact": f"Call the Head of School on {phone}; if there is any threat, call 999.",
            })
            schools.append(school)

        def account(username, first, last, role, school):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@conduct.example.org",
                          "password": password})
            StaffRole.objects.get_or_create(user=user, school=school, role=role)
            return user

        by_role = defaultdict(dict)
        for username, first, last, role, school_index in ACCOUNTS:
            school = schools[school_index] if school_index is not None else None
            user = account(username, first, last, role, school)
            if school is not None:
                by_role[school.pk].setdefault(role, user)
        account("dpo", "Dana", "Protection", Role.DPO, None)
        ctxs = []
        for school in schools:
            users = []
            for role, first in ((Role.OFFICE, "Office"), (Role.SENIOR, "Senior"), (Role.HEAD, "Head"),
                                (Role.CHAIR, "Chair")):
                user = by_role[school.pk].get(role) or account(f"{role}-{school.code}", first, school.name, role,
                                                               school)
                users.append(user.pk)
            ctxs.append(_SchoolCtx(school, users))
        for index, ctx in enumerate(ctxs):
            ctx.sibling = ctxs[(index + 1) % len(ctxs)]
        self.sibling_names = {ctx.id: ctx.name for ctx in ctxs}
        self.schools = ctxs
        self.categories = dict(BreachCategory.objects.filter(active=True).values_list("code", "pk"))
        self.category_codes = list(self.categories)
        if not self.categories:
            raise RuntimeError("No breach categories: run the migrations first.")

    # Planning --------------------------------------------------------------------------------

    def _plan(self):
        rng = self.rng
        n_schools = len(self.schools)
        weights = [1.6 if i == 0 else rng.uniform(0.5, 1.5) for i in range(n_schools)]
        total = sum(weights)
        # People, spread over the schools like the incidents; some also have a child at a second school.
        people = []  # [school index, name, relationship, first time seen]
        for i in range(self.n_people):
            s = rng.choices(range(n_schools), weights)[0] if i >= n_schools else i
            people.append([s, f"{rng.choice(FIRST)} {rng.choice(LAST)}", None])
            self.schools[s].people.append(i)
        for i in range(0, self.n_people, 12):
            other = self.schools[(people[i][0] + 1 + i % max(1, n_schools - 1)) % n_schools]
            if other.id != self.schools[people[i][0]].id:
                other.people.append(i)
        frequent = len(people)
        people.append([0, FREQUENT_PERSON_NAME, None])
        self.people = people
        names = list(SCENARIOS)
        scenario_weights = [SCENARIOS[n][0] for n in names]
        counts = [int(round(self.n_incidents * w / total)) for w in weights]
        counts[0] += self.n_incidents - sum(counts)
        plans = []
        now = self.clock.now
        # Every scenario at least twice, so even a small run has every stage and ban status.
        forced = [n for n in names for _ in range(2)]
        index = 0
        for s, count in enumerate(counts):
            ctx = self.schools[s]
            for _ in range(count):
                if s == 0 and index < FREQUENT_INCIDENTS - 1:
                    scenario = rng.choice(("closed", "closed", "closed", "closed_declined", "ban_ended"))
                elif index < len(forced) + FREQUENT_INCIDENTS:
                    scenario = forced[(index - FREQUENT_INCIDENTS + 1) % len(forced)]
                else:
                    scenario = rng.choices(names, scenario_weights)[0]
                seed = rng.getrandbits(62)
                pool = ctx.people or [rng.randrange(len(people) - 1)]
                subject = frequent if s == 0 and index < FREQUENT_INCIDENTS - 1 else (
                    pool[int(len(pool) * rng.random() ** 1.7)])
                witness = pool[rng.randrange(len(pool))] if rng.random() < 0.15 else None
                if witness == subject:
                    witness = None
                t0 = self._t0(seed, scenario)
                if subject == frequent:
                    # The busy case must be the newest of this person's cases.
                    t0 = min(t0, now - 70 * DAY - rng.randint(0, 1300) * DAY)
                plans.append((t0, seed, s, scenario, subject, witness))
                index += 1
        busy_t0 = _business(now - 45 * DAY)
        plans.append((busy_t0, rng.getrandbits(62), 0, "busy", frequent, None))
        plans.sort()
        for t0, _seed, _s, _scenario, subject, witness in plans:
            for pid in (subject, witness):
                if pid is not None and (people[pid][2] is None or t0 < people[pid][2]):
                    people[pid][2] = t0
        self.frequent = frequent
        return plans

    def _t0(self, seed, scenario):
        rng = _random(seed)
        now = self.clock.now
        steps, anchor = _script(rng, scenario, now)
        t0 = _place(steps, anchor, now - _dwell(rng, SCENARIOS[scenario][1]))
        times = _times(steps, t0)
        if times[-1] > now - 600:
            t0 -= ((times[-1] - (now - 600)) // DAY + 1) * DAY
        return t0

    # Rows ------------------------------------------------------------------------------------

    def _people_rows(self):
        rng = self.rng
        ts = self.clock.ts
        now = self.clock.now
        person_ids = []
        for s, name, first_seen in self.people:
            ctx = self.schools[s]
            pid = self.ids.take(Person)
            person_ids.append(pid)
            added = _business((first_seen or now - rng.randint(1, 1400) * DAY) - rng.randint(600, 2 * DAY))
            town, postcode = TOWNS[rng.randrange(len(TOWNS))]
            address = (f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{town}\nKent {postcode} "
                       f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")
            relationship = "parent" if rng.random() < 0.8 else rng.choice(("carer", "visitor", "other"))
            surname = name.split()[-1]
            email = f"{name.split()[0].lower()}.{surname.lower().replace(chr(39), '')}{rng.randint(1, 99)}@example.com"
            phone = f"07700 9{rng.randint(10000, 99999)}"
            row = (pid, name, relationship, address, phone, email, "", ts(added), 1, ctx.id, ctx.office)
            self.rows[Person].append(row)
            self.rows[HISTORICAL_PERSON].append(
                row[:9] + (self.ids.take(HISTORICAL_PERSON), ts(added), "Person added", "+", ctx.id,
                            ctx.office, ctx.office))
            if relationship in ("parent", "carer"):
                for _ in range(rng.choice((1, 1, 2))):
                    self.rows[Pupil].append((self.ids.take(Pupil), f"{rng.choice(CHILD)} {surname}",
                                             rng.choice(YEAR_GROUPS), pid, ctx.id))
        self.person_ids = person_ids

    def _event(self, c, t, actor, kind, summary, note="", from_stage="", to_stage=""):
        self.rows[CaseEvent].append((self.ids.take(CaseEvent), self.clock.ts(t), kind, summary[:300], note,
                                     from_stage, to_stage, actor, c.id))

    def _history(self, c, t, htype, reason, user):
        history_id = self.ids.take(HISTORICAL_INCIDENT)
        ts = self.clock.ts
        self.rows[HISTORICAL_INCIDENT].append(
            (c.id, c.ref, ts(c.occurred), c.location, c.detail, c.description, "", "", c.reported_by,
             ts(c.logged), c.stage, ts(c.changed), c.outcome, c.version, history_id, ts(t), reason[:100], htype,
             user, c.school.office, c.school.id))
        if htype != "+":
            m2m = self.rows[HISTORICAL_CATEGORIES]
            for through_id, category in c.cats:
                m2m.append((through_id, self.ids.take(HISTORICAL_CATEGORIES), category,
                            history_id, c.id))

    def _case(self, plan, numbers):
        t0, seed, s, scenario, subject, witness = plan
        rng = _random(seed)
        now = self.clock.now
        if scenario == "busy":
            steps = self._busy_steps()
        else:
            steps, _anchor = _script(rng, scenario, now)
        ctx = self.schools[s]
        c = _Case()
        c.rng = rng
        c.scenario = scenario
        c.id = self.ids.take(Incident)
        year = self.clock.year(t0)
        key = (ctx.code, year)
        numbers[key] = numbers.get(key, 0) + 1
        c.ref = f"{ctx.code}-{year}-{numbers[key]:04d}"
        c.school = ctx
        c.subject = self.person_ids[subject]
        c.subject_name = self.people[subject][1]
        c.witness = self.person_ids[witness] if witness is not None else None
        c.logged = t0
        c.occurred = t0 - rng.randint(600, 3 * DAY)
        codes = self.category_codes
        if scenario in BAN_PROPOSALS:
            first = rng.choice(("threatening", "aggression", "abusive-messages"))
        else:
            first = rng.choice(codes)
        picked = [first] + ([rng.choice(codes)] if rng.random() < 0.35 else [])
        picked = [p for p in dict.fromkeys(picked) if p in self.categories] or [codes[0]]
        c.location = "online" if first in ONLINE_CATEGORIES else ("off_site" if rng.random() < 0.1 else "premises")
        c.detail = rng.choice(PLACES[c.location])
        c.description = TEMPLATES.get(first, "{name} breached the code of conduct at {place}.").format(
            name=c.subject_name, place=c.detail, staff=rng.choice(STAFF))
        c.reported_by = rng.choice(REPORTERS)
        c.cats = []
        for code in picked:
            through_id = self.ids.take(Incident.categories.through)
            c.cats.append((through_id, self.categories[code]))
            self.rows[Incident.categories.through].append((through_id, c.id, self.categories[code]))
        c.stage, c.changed, c.version, c.outcome = Stage.REPORTED, t0, 1, ""
        c.proposals, c.pending, c.open_proposal, c.decision = {}, None, None, None
        c.actions, c.consultation, c.letters, c.ban = {}, None, [], None
        t = t0
        for index, (gap, name, args) in enumerate(steps):
            if index:
                t = _business(t + gap)
            # A step that takes time of its own (a letter issued, a ban confirmed weeks later) says when it ended.
            t = getattr(self, "_step_" + name)(c, t, *args) or t
        self.rows[Incident].append(
            (c.id, c.ref, self.clock.ts(c.occurred), c.location, c.detail, c.description, "", "", c.reported_by,
             self.clock.ts(c.logged), c.stage, self.clock.ts(c.changed), c.outcome, c.version, ctx.office, ctx.id))
        for row in c.proposals.values():
            self.rows[Proposal].append(tuple(row))
        for row in c.actions.values():
            self.rows[DecisionAction].append(tuple(row))
        for row in c.letters:
            self.rows[Letter].append(tuple(row))
        if c.ban is not None:
            self.rows[SiteBan].append(tuple(c.ban))

    def _busy_steps(self):
        steps = [(0, "log", ()), (HOUR, "stage", (Stage.GATHERING,))]
        steps += [(2 * HOUR, "statement", (("staff", "witness", "parent", "pupil")[i % 4],)) for i in range(29)]
        steps += [(DAY, "stage", (Stage.CONVERSATION,)), (DAY, "conversation", (True,)),
                  (DAY, "propose", (["ban"],)), (2 * DAY, "chair", (False,)),
                  (DAY, "propose", (["meeting", "warning"],)),
                  (DAY, "decide", (DecisionOutcome.REJECTED, None)), (DAY, "propose", (["meeting", "warning"],)),
                  (DAY, "decide", (DecisionOutcome.APPROVED, None)),
                  (DAY, "letter_sent", ("warning",)), (DAY, "letter_sent", ("meeting",))]
        return steps

    # Steps: each writes what the matching service writes ------------------------------------

    def _step_log(self, c, t):
        ctx = c.school
        self.rows[IncidentPerson].append((self.ids.take(IncidentPerson), "subject", c.id, c.subject))
        if c.witness is not None and c.witness != c.subject:
            self.rows[IncidentPerson].append((self.ids.take(IncidentPerson), "witness", c.id, c.witness))
        self._history(c, t, "+", "Incident logged", ctx.office)
        # incident.categories.set() adds a second history row, with the categories.
        self._history(c, t, "~", "Incident logged", ctx.office)
        self._event(c, t, ctx.office, "logged", "Incident logged", to_stage=Stage.REPORTED)

    def _transition(self, c, t, actor, to_stage, summary="", note="", outcome=None):
        source = c.stage
        if outcome is not None:
            c.outcome = outcome
        c.stage, c.changed = to_stage, t
        c.version += 1
        self._history(c, t, "~", summary or TRANSITION_LABEL[(source, to_stage)], actor)
        self._event(c, t, actor, "stage", summary or f"{STAGE_LABEL[source]} → {STAGE_LABEL[to_stage]}", note,
                    source, to_stage)

    def _step_stage(self, c, t, to_stage):
        self._transition(c, t, c.school.senior, to_stage)

    def _step_statement(self, c, t, kind):
        given_by, text = STATEMENTS[kind]
        others = "Mrs Patel, class teaching assistant" if kind == "pupil" else ""
        self.rows[Statement].append((self.ids.take(Statement), kind, given_by, self.clock.ts(t - HOUR), others, text,
                                     self.clock.ts(t), c.id, c.school.senior))
        who = "the pupil" if kind == "pupil" else given_by
        label = {"staff": "member of staff", "witness": "witness", "parent": "the parent, carer or visitor",
                 "pupil": "pupil's version of events"}[kind]
        self._event(c, t, c.school.senior, "statement", f"Statement recorded ({label}): {who}")

    def _step_conversation(self, c, t, took_place):
        ts = self.clock.ts
        if took_place:
            row = (True, ts(t - 2 * HOUR), "Deputy head and the parent",
                   "They accepted that they had raised their voice.",
                   "Concerns will be raised with the class teacher by appointment.", "", "")
            summary = "Conversation with the parent recorded"
        else:
            reason = c.rng.choice(("declined", "unreachable", "risk"))
            row = (False, None, "", "", "", reason, "Three calls and a letter went unanswered.")
            summary = f"Conversation not possible: {REASON_LABEL[reason]}"
        self.rows[ParentConversation].append((self.ids.take(ParentConversation),) + row +
                                             (ts(t), c.id, c.school.senior))
        self._event(c, t, c.school.senior, "conversation", summary)

    def _step_propose(self, c, t, actions):
        ctx = c.school
        if c.open_proposal is not None:
            c.proposals[c.open_proposal][5] = "superseded"
        includes_ban = "ban" in actions
        rationale = " ".join(RATIONALES[a] for a in actions)
        pid = self.ids.take(Proposal)
        c.proposals[pid] = [pid, json.dumps(actions), rationale,
                            "The threat put staff at immediate risk." if includes_ban else "", includes_ban,
                            "pending", self.clock.ts(t), c.id, ctx.senior]
        c.pending = c.open_proposal = pid
        labels = "; ".join(ACTION_LABEL[a] for a in actions)
        self._event(c, t, ctx.senior, "proposal", f"Response proposed: {labels}", rationale)
        self._transition(c, t + 1, ctx.senior, Stage.AWAITING_CHAIR if includes_ban else Stage.PROPOSED)
        return t + 1

    def _step_chair(self, c, t, signed):
        ctx = c.school
        cid = self.ids.take(ChairConsultation)
        view = "I agree that a ban is proportionate." if signed else "I am not persuaded a ban is needed yet."
        reasons = "" if signed else "A warning letter should come first."
        self.rows[ChairConsultation].append((cid, self.clock.day(t // DAY), c.rng.choice(("meeting", "phone", "video",
                                                                                           "email")),
                                             view, signed, reasons, self.clock.ts(t), ctx.chair, c.id, c.pending,
                                             None))
        if signed:
            c.consultation = (cid, c.pending)
        else:
            c.proposals[c.pending][5] = "chair_declined"
            c.pending = None
        summary = ("Chair consulted and signed off the ban" if signed
                   else "Chair consulted and did not sign off the ban: the response must be revised")
        self._event(c, t, ctx.chair, "consultation", summary, view if signed else reasons)
        self._transition(c, t + 1, ctx.chair, Stage.PROPOSED)
        return t + 1

    def _step_decide(self, c, t, outcome, actions):
        ctx = c.school
        proposal = c.proposals[c.open_proposal]
        if outcome == DecisionOutcome.REJECTED:
            proposal[5] = "rejected"
            c.pending = c.open_proposal = None
            self._event(c, t, ctx.head, "decision", "Head rejected the proposal: a new proposal is needed",
                        "A lighter response should be tried first.")
            return
        if outcome == DecisionOutcome.APPROVED:
            actions = json.loads(proposal[1])
        includes_ban = "ban" in actions
        consultation = c.consultation[0] if includes_ban else None
        did = self.ids.take(Decision)
        reasons = "Proportionate to the breach and to the person's record."
        self.rows[Decision].append((did, self.clock.ts(t), outcome, json.dumps(actions), reasons, includes_ban,
                                    consultation, ctx.head, c.id, proposal[0]))
        c.decision = (did, actions)
        for kind in actions:
            if kind != "nfa":
                c.actions[kind] = [self.ids.take(DecisionAction), kind, False, None, "", "", did, None]
        proposal[5] = "decided"
        c.pending = c.open_proposal = None
        labels = "; ".join(ACTION_LABEL[a] for a in actions)
        self._event(c, t, ctx.head, "decision", f"Head decided ({OUTCOME_LABEL[outcome]}): {labels}", reasons)
        self._transition(c, t + 1, ctx.head, Stage.DECIDED)
        return t + 1

    def _mark_done(self, c, t, kind, details, reference=""):
        action = c.actions.get(kind)
        if action is None or action[2]:
            return
        action[2], action[3], action[4], action[5], action[7] = True, self.clock.day(t // DAY), details, reference, \
            c.school.head
        self._event(c, t, c.school.head, "action", f"Done: {ACTION_LABEL[kind]}",
                    " ".join(filter(None, [reference, details])))

    def _step_action_done(self, c, t, kind):
        reference = f"KP-{self.clock.year(t)}-{c.rng.randint(100000, 999999)}" if kind == "authorities" else ""
        details = {"meeting": "Met the parent, who apologised.", "warning": "Warning letter sent by post.",
                   "authorities": "Reported to Kent Police.", "legal": "The legal team advised; no claim made.",
                   "report_post": "Reported to the network; the post was removed."}[kind]
        self._mark_done(c, t, kind, details, reference)

    def _letter_draft(self, c, t, kind, ban=None, review=None, paragraphs=""):
        lid = self.ids.take(Letter)
        row = [lid, kind, "draft", paragraphs, self.clock.ts(t), None, "", None, "", 1, c.school.senior, c.id, None,
               c.subject, ban, c.description, None, review, True, "", "", "", None, "", "", "", ""]
        c.letters.append(row)
        self._event(c, t, c.school.senior, "letter", f"Letter drafted: {LETTER_LABEL[kind]} to {c.subject_name}")
        return row

    def _letter_issue(self, c, t, row):
        sent_by = c.rng.choice(("post", "post", "email", "hand"))
        row[2], row[5], row[6], row[7], row[8], row[9], row[12] = ("issued", PLACEHOLDER_PDF, PLACEHOLDER_SHA,
                                                                   self.clock.ts(t), sent_by, 2, c.school.head)
        # Years of letters went when they were issued (the office's list of letters to send stays short).
        row[LETTER_DELIVERED_AT] = row[7]
        self.issued[row[1]].append(row[0])
        self.issue_events[row[0]] = self.ids.next[CaseEvent]
        self._event(c, t, c.school.head, "letter",
                    f"Letter issued ({SENT_LABEL[sent_by]}): {LETTER_LABEL[row[1]]} to {c.subject_name}",
                    # Rewritten with the rendered PDF's hash when the letters are rendered.
                    f"SHA-256 {PLACEHOLDER_SHA}")
        kind = ACTION_FOR_KIND.get(row[1])
        if kind:
            self._mark_done(c, t, kind, f"{LETTER_LABEL[row[1]]} issued {SENT_LABEL[sent_by]}")

    def _step_letter_draft(self, c, t, kind):
        self._letter_draft(c, t, kind)

    def _step_letter_sent(self, c, t, kind):
        row = self._letter_draft(c, t, kind)
        self._letter_issue(c, t + HOUR, row)
        return t + HOUR

    def _step_close(self, c, t):
        outcome = c.rng.choice(OUTCOMES)
        self._transition(c, t, c.school.head, Stage.CLOSED, "Case closed", outcome, outcome=outcome)

    def _step_reopen(self, c, t):
        self._transition(c, t, c.school.head, Stage.DECIDED, "Case reopened", "The parent breached the code again.")

    # Bans ---------------------------------------------------------------------------------------

    def _step_ban_start(self, c, t, scenario):
        scenario = scenario.removesuffix("_late")
        if scenario == "ban_decided":
            return
        rng, clock, ctx = c.rng, self.clock, c.school
        today = clock.today
        created = t // DAY
        route = "provisional" if scenario == "ban_provisional" or (
            scenario != "ban_intended" and rng.random() < 0.4) else "notice"
        reps_by = created + 14
        starts = created if route == "provisional" else created + rng.randint(15, 22)
        if scenario in ("ban_intended", "ban_provisional", "ban_confirmed", "ban_confirmed_open"):
            ends = max(today, starts) + rng.randint(20, 240)
        elif scenario == "ban_expired":
            ends = today - rng.randint(3, 60)
        elif scenario == "ban_ended":
            ends = max(starts + 20, today - 10 - rng.randint(0, max(0, today - starts - 60)))
        else:
            ends = starts + rng.randint(90, 365)
        # The schools' longest ban is 12 months (the default): a year of days never passes it.
        ends = min(max(ends, starts), starts + 365)
        review = starts + max(0, (ends - starts) // 2)
        if scenario in ("ban_confirmed", "ban_confirmed_open"):
            # Some reviews fall due within the week (the head's work list), the rest later.
            review = today + rng.randint(0, 7) if rng.random() < 0.3 else rng.randint(today, ends)
        review = min(max(review, starts), ends)
        # A ban covers only the deciding school's site.
        sites = [ctx.id]
        names = sorted(self.sibling_names[s] for s in sites)
        bid = self.ids.take(SiteBan)
        for site in sites:
            self.rows[SiteBan.sites.through].append((self.ids.take(SiteBan.sites.through), bid, site))
        reasons = "Staff felt threatened by the person's behaviour."
        c.ban = [bid, route, "intended" if route == "notice" else "provisional", clock.day(starts), clock.day(ends),
                 clock.day(ends), clock.day(review), clock.day(reps_by),
                 "The pupil will be dropped off and collected by a grandparent at the main gate.", reasons, False,
                 clock.ts(t), 1, c.consultation[0], ctx.head, c.decision[0], c.id, c.subject, "", None]
        what = "Notice of intended ban" if route == "notice" else "Provisional ban"
        self._event(c, t, ctx.head, "ban",
                    f"{what}: {c.subject_name}, {clock.dmy(starts)}–{clock.dmy(ends)} ({', '.join(names)})",
                    f"Representations by {clock.dmy(reps_by)}. {reasons}".strip())
        kind = "intended_ban" if route == "notice" else "provisional_ban"
        letter = self._letter_draft(c, t, kind, ban=bid)
        if scenario != "ban_intended" or rng.random() < 0.7:
            self._letter_issue(c, t + HOUR, letter)

    def _step_ban_finish(self, c, t, scenario):
        """Representations and the head's confirmation or withdrawal, before the case can close."""
        ban = c.ban
        if ban is None:
            return
        scenario = scenario.removesuffix("_late")
        rng, clock, ctx = c.rng, self.clock, c.school
        today = clock.today
        created = self._day_of_date(ban[11])
        reps_by = created + 14
        received = False
        if rng.random() < 0.5:
            day = created + rng.randint(1, 13)
            if day < today:
                received = True
                self._representation(c, day, reps_by)
        if scenario in ("ban_intended", "ban_provisional"):
            if not received and today > reps_by + 1 and rng.random() < 0.5:
                ban[10] = True
                ban[12] += 1
                self._event(c, _business(reps_by * DAY + DAY + 9 * HOUR), ctx.senior, "ban",
                            f"No representations received by {clock.dmy(reps_by)}")
            return
        if scenario == "ban_withdrawn":
            when = _business((created + rng.randint(3, 12)) * DAY + 10 * HOUR)
            ban[2] = "withdrawn"
            ban[12] += 1
            if ban[1] == "provisional":
                ban[19] = clock.day(when // DAY)
            reasons = "The representations showed the ban is not needed."
            self._event(c, when, ctx.head, "ban", f"Ban withdrawn: {c.subject_name}", reasons)
            letter = self._letter_draft(c, when, "ban_withdrawn", ban=ban[0], paragraphs=reasons)
            self._letter_issue(c, when + HOUR, letter)
            return when + HOUR
        confirm = reps_by + rng.randint(1, 4)
        when = _business(confirm * DAY + 10 * HOUR)
        if not received:
            ban[10] = True
        if ban[2] == "intended" and self._day_of_date(ban[3]) < confirm:
            ban[3] = clock.day(confirm)
        if self._day_of_date(ban[6]) < self._day_of_date(ban[3]):
            ban[6] = ban[3]
        ban[2] = "confirmed"
        ban[12] += 1
        considered = "after considering the representations" if received else "no representations received"
        reasons = "The behaviour put staff at risk; the ban is confirmed."
        ban[18] = reasons
        self._event(c, when, ctx.head, "ban",
                    f"Ban confirmed ({considered}): {c.subject_name} until {clock.dmy(self._day_of_date(ban[4]))}",
                    reasons)
        letter = self._letter_draft(c, when, "ban_confirmed", ban=ban[0])
        self._letter_issue(c, when + HOUR, letter)
        return when + HOUR

    def _representation(self, c, day, reps_by):
        clock = self.clock
        at = _business(day * DAY + 11 * HOUR)
        summary = "The parent says they were provoked and asks for the ban to be reconsidered."
        self.rows[Representation].append((self.ids.take(Representation), clock.day(day), summary, "", "",
                                          clock.ts(at), c.school.senior, c.ban[0]))
        late = " (after the deadline)" if day > reps_by else ""
        self._event(c, at, c.school.senior, "ban",
                    f"Representations received {clock.dmy(day)}{late} from {c.subject_name}", summary)

    def _step_ban_later(self, c, t, scenario):
        """What happens to a confirmed ban after the case closed: reviews, lifting, the end."""
        ban = c.ban
        if ban is None or ban[2] != "confirmed":
            return
        rng, clock, ctx = c.rng, self.clock, c.school
        today = clock.today
        starts, ends = self._day_of_date(ban[3]), self._day_of_date(ban[4])
        after = max(c.changed // DAY + 1, starts + 1)
        if scenario == "ban_lifted":
            day = min(rng.randint(after, max(after, ends - 1)), today - 1)
            self._review(c, day, "lift", None)
            ban[2] = "lifted"
            ban[19] = clock.day(day)
            return
        if scenario in ("ban_confirmed", "ban_confirmed_open") and today - 1 > after and rng.random() < 0.4:
            day = rng.randint(after, today - 1)
            next_review = max(self._day_of_date(ban[6]), today, day)
            next_review = min(next_review, ends)
            self._review(c, day, "continue", next_review)
            ban[6] = clock.day(next_review)
        if scenario == "ban_ended":
            day = ends + rng.randint(1, 5)
            day = min(day, today - 1)
            at = _business(day * DAY + 9 * HOUR)
            ban[2] = "ended"
            ban[12] += 1
            self._event(c, at, ctx.head, "ban", f"Ban ended on {clock.dmy(ends)}: {c.subject_name}")

    def _review(self, c, day, outcome, next_review):
        ban, clock, ctx = c.ban, self.clock, c.school
        at = _business(day * DAY + 10 * HOUR)
        rid = self.ids.take(BanReview)
        reasons = ("The behaviour has not been repeated; the ban is no longer needed." if outcome == "lift"
                   else "The ban remains necessary for now.")
        self.rows[BanReview].append((rid, clock.day(day), outcome, None,
                                     clock.day(next_review) if next_review is not None else None, reasons, ctx.head,
                                     None, ban[0]))
        ban[12] += 1
        detail = "" if outcome == "lift" else (
            f"; ends {clock.dmy(self._day_of_date(ban[4]))}, next review {clock.dmy(next_review)}")
        self._event(c, at, ctx.head, "ban", f"Ban reviewed: {REVIEW_LABEL[outcome].lower()}{detail}", reasons)
        if outcome == "lift":
            letter = self._letter_draft(c, at, "ban_withdrawn", ban=ban[0], paragraphs=reasons)
        else:
            letter = self._letter_draft(c, at, "ban_review", ban=ban[0], review=rid)
        if outcome == "lift" or c.rng.random() < 0.7:
            self._letter_issue(c, at + HOUR, letter)

    @staticmethod
    def _day_of_date(iso):
        return (date.fromisoformat(iso[:10]) - date(1970, 1, 1)).days

    # Running ------------------------------------------------------------------------------------

    MODELS = list(COLUMNS)

    def _flush(self, writer):
        batch = [(model, self.rows.pop(model)) for model in self.MODELS if self.rows.get(model)]
        writer.write(batch)

    def run(self):
        started = time.monotonic()
        writer = _Writer()
        self.clock = _Clock(writer.vendor, int(timezone.now().timestamp()))
        with transaction.atomic():
            self._setup()
        self.ids = _Ids(self.MODELS)
        numbers = self._numbers()
        plans = self._plan()
        self.say(f"Planned {len(plans)} incidents and {len(self.people)} people at {len(self.schools)} schools "
                 f"({time.monotonic() - started:.1f}s).")
        self._people_rows()
        suspend_search_indexes()
        self._flush(writer)
        done = 0
        for start in range(0, len(plans), self.batch):
            for plan in plans[start:start + self.batch]:
                self._case(plan, numbers)
            self._flush(writer)
            done = min(start + self.batch, len(plans))
            self.say(f"  {done} incidents built ({time.monotonic() - started:.1f}s)")
        writer.wait()
        self._render_letters()
        self._finish(writer)
        for table in sorted(writer.counts, key=lambda name: -writer.seconds[name]):
            self.say(f"  {table}: {writer.counts[table]} rows, {writer.seconds[table]:.1f}s inserting")
        self.say(f"Done in {time.monotonic() - started:.1f}s.")
        return writer.counts

    def _numbers(self):
        """The reference counters: how many references each school already has for each year."""
        numbers = {}
        year = datetime.fromtimestamp(self.clock.now, tz=dt_timezone.utc).year
        for ctx in self.schools:
            for y in range(year - YEARS - 1, year + 1):
                count = Incident.objects.filter(reference__startswith=f"{ctx.code}-{y}-").count()
                if count:
                    numbers[(ctx.code, y)] = count
        return numbers

    def _render_letters(self):
        """Render real PDFs through sanctions.letters.rendering for a sample; every other issued letter of that kind
        stores the bytes of one of them, with their SHA-256 (and the timeline's issue line says it)."""
        from sanctions.letters import rendering as renderer

        started = time.monotonic()
        kinds = [k for k in self.issued if self.issued[k]]
        if not kinds:
            return
        per_kind = max(1, self.pdfs // len(kinds))
        rendered = 0
        for kind in kinds:
            ids = self.issued[kind]
            sample = self.rng.sample(ids, min(per_kind, len(ids)))
            pool = []
            for letter in Letter.objects.filter(pk__in=sample).select_related("incident__school", "person", "ban",
                                                                            "review"):
                pdf = renderer.letter_pdf(letter, dated=timezone.localtime(letter.issued_at).date())
                pool.append((pdf, hashlib.sha256(pdf).hexdigest(), [letter.pk]))
                rendered += 1
            rest = sorted(set(ids) - set(sample))
            for index, pk in enumerate(rest):
                pool[index % len(pool)][2].append(pk)
            with transaction.atomic():
                for pdf, sha, pks in pool:
                    for chunk in range(0, len(pks), 500):
                        part = pks[chunk:chunk + 500]
                        Letter.objects.filter(pk__in=part).update(pdf=pdf, sha256=sha)
                        events = [self.issue_events[pk] for pk in part]
                        CaseEvent.objects.filter(pk__in=events).update(note=f"SHA-256 {sha}")
        self.say(f"  rendered {rendered} letter PDFs, shared by {sum(len(v) for v in self.issued.values())} "
                 f"issued letters ({time.monotonic() - started:.1f}s)")

    def _finish(self, writer):
        started = time.monotonic()
        PersonSchool.objects.rebuild()
        self.say(f"  people's schools ({time.monotonic() - started:.1f}s)")
        started = time.monotonic()
        resume_search_indexes()
        self.say(f"  search indexes rebuilt ({time.monotonic() - started:.1f}s)")
        started = time.monotonic()
        if writer.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), self.MODELS):
                    cursor.execute(sql)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say(f"  sequences and ANALYZE ({time.monotonic() - started:.1f}s)")


def generate(*, schools=20, incidents=200000, people=None, seed=42, pdfs=50, append=False, out=None):
    if generated_data_exists() and not append:
        raise GeneratedDataExists(
            "This database already holds generated load data. Use --append to add more to it, "
            "or generate into an empty database.")
    return Generator(schools=schools, incidents=incidents, people=people, seed=seed, pdfs=pdfs, out=out).run()
