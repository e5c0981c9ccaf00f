"""The retention schedule: what has passed its period, and anonymising it.

Each record type has a period set by the trust (RetentionPolicy) or, until
the trust sets one, the default below. `review()` lists what has passed its
period; `apply()` anonymises it, one record per transaction:

- the row is locked (the case's row, which `hold_place` locks too) and the
  hold is checked again inside the transaction, so a hold placed while a run
  is going wins: either it is seen, or it waits until that one record is done;
- names, contact details and free text are replaced, in the records and in
  every simple-history row of them; evidence files and photos are deleted
  through the storage API once the transaction commits;
- what reports count is kept: the rows themselves, schools, categories,
  stages, dates, the actions decided;
- an AnonymisedRecord marks each record done, so a second run finds nothing
  to do, and a RetentionRun logs what each run did.

Records on hold are never touched: a case with a standing hold, or one that
names a person with an open subject access request.
"""

import hashlib
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from conduct.models import Trust
from incidents.models import (
    CaseEvent,
    CodeOfConductGiven,
    Collector,
    Evidence,
    Incident,
    IncidentPerson,
    ParentConversation,
    Person,
    PersonAlias,
    PersonMerge,
    PersonSchoolNote,
    Pupil,
    StaffHarm,
    StaffSupport,
    Statement,
)
from incidents.workflow import Stage
from privacy.models import (
    OPEN_STATUSES,
    AccessLogEntry,
    AnonymisedRecord,
    Hold,
    Pack,
    PackItem,
    RecordType,
    Redaction,
    RequestEvent,
    RequestPause,
    RequestStatus,
    RetentionPolicy,
    RetentionRun,
    SubjectAccessRequest,
)
from sanctions.models import (
    COMPLAINT_OPEN_STAGES,
    BanBreach,
    BanReview,
    BanStatus,
    CaseAccount,
    ChairConsultation,
    Complaint,
    ComplaintStep,
    Decision,
    DecisionAction,
    Letter,
    LetterFormat,
    LetterStatus,
    Proposal,
    Representation,
    SiteBan,
)

REMOVED = "[removed under the retention schedule]"

# The defaults, documented in the README, with the reason for each.
DEFAULTS = {
    RecordType.CLOSED_CASE: (72, "IRMS Information Management Toolkit for Schools: records of complaints and of "
                                 "action taken about adults are kept until the matter is resolved plus 6 years, the "
                                 "time within which a civil claim may be brought (Limitation Act 1980)."),
    RecordType.ENDED_BAN: (72, "A ban withdraws a parent's licence to be on the site: kept 6 years after it ends, "
                               "like the case, so the school can answer a claim about it (Limitation Act 1980)."),
    RecordType.LETTER: (72, "Letters are part of the case file (IRMS toolkit): 6 years after they were issued."),
    RecordType.EVIDENCE: (12, "Photos, recordings and screenshots are the most intrusive records and often show "
                              "other people; the written case record is kept 6 years, so the files go one year "
                              "after the case closes (UK GDPR data minimisation; IRMS toolkit: images kept no "
                              "longer than needed)."),
    RecordType.ACCESS_LOG: (24, "Long enough to answer a subject access request or a complaint about who saw a "
                                "case; short enough not to become a record of staff activity (ICO: audit logs "
                                "kept in proportion to their purpose)."),
    RecordType.ANSWERED_REQUEST: (12, "A subject access request, its correspondence and the copy of the pack sent "
                                      "are kept a year after the answer: long enough to answer a complaint about "
                                      "the reply to the school or the ICO (IRMS toolkit: a year after the last "
                                      "action); the pack copies records the case file keeps anyway (UK GDPR data "
                                      "minimisation)."),
}

ENDED_BAN_STATUSES = (BanStatus.ENDED, BanStatus.WITHDRAWN, BanStatus.LIFTED)
ISSUED = (LetterStatus.ISSUED, LetterStatus.SUPERSEDED)

# Free text, names and contact details, per model; the history rows of each are scrubbed alike.
CASE_TEXT = {
    Incident: ["location_detail", "description", "pupils_affected", "staff_affected", "reported_by", "outcome"],
    Statement: ["given_by", "others_present", "text"],
    ParentConversation: ["present", "parent_said", "agreed", "not_possible_detail"],
    Proposal: ["rationale", "ban_justification"],
    ChairConsultation: ["chair_view", "reasons_not_signed"],
    Decision: ["reasons"],
    DecisionAction: ["details", "reference"],
    CaseAccount: ["text"],
    BanBreach: ["police_reference"],
    # Staff harmed go with their case (issue 26): their injury, days off and the RIDDOR report's date stay for
    # the reports; names, what happened and the HSE reference go.
    StaffHarm: ["name", "what_happened", "riddor_reference", "riddor_made_by"],
    StaffSupport: ["what"],
    Complaint: ["summary"],
    ComplaintStep: ["reasons"],
}
# What else goes: the staff account that would name the member of staff harmed.
CASE_CLEARED = {StaffHarm: {"staff_account": None}}
# A letter's words, where it went and who handed it over; the frozen HTML is emptied with them.
LETTER_TEXT = ["facts", "specific_paragraphs", "reasons", "pupil_arrangements", "delivered_to", "handed_over_by",
               "delivery_error"]
BAN_TEXT = {SiteBan: ["pupil_arrangements", "reasons", "confirmation_reasons"],
            Representation: ["summary", "attachment_name"], BanReview: ["reasons"],
            ChairConsultation: ["chair_view", "reasons_not_signed"]}
# A request's words: who asked and where the answer went, the notes, and the pause's reasons. The events
# and pack items are replaced whole (their titles and summaries name the person and quote the records).
REQUEST_TEXT = {SubjectAccessRequest: ["reply_to", "notes", "identity_notes", "extension_reason"],
                RequestPause: ["detail", "resume_note"], PackItem: ["title", "decision_reason"]}
# Contact details are emptied, not replaced: nothing needs them to hold text.
PERSON_BLANK = {"address": "", "phone": "", "email": "", "salutation": "", "title": "", "photo": ""}


def _months_ago(now, months):
    return now - relativedelta(months=months)


def policies(trust) -> dict:
    """{record type: (months, reason, set by the trust?)} for `trust`."""
    result = {t: (*DEFAULTS[t], False) for t in RecordType}
    for policy in RetentionPolicy.objects.filter(trust=trust):
        result[policy.record_type] = (policy.months, policy.reason, True)
    return result


def _removed(name):
    """A blank field stays blank; any other text becomes REMOVED (constraints that want text still hold)."""
    return Case(When(**{name: ""}, then=Value("")), default=Value(REMOVED))


def _scrub(model, ids, text_fields, **extra) -> None:
    """Blank `text_fields` of the rows `ids` and of every history row of them; set `extra` alike."""
    if not ids:
        return
    values = {name: _removed(name) for name in text_fields} | extra
    model.objects.filter(pk__in=ids).update(**values)
    if hasattr(model, "history"):
        model.history.model.objects.filter(id__in=ids).update(**values)


def _delete_files_on_commit(names) -> None:
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


# Holds -------------------------------------------------------------------------------------


def held_incident_ids(incident_ids) -> set:
    """Of `incident_ids`, those on hold: a standing hold, or a person in them with an open request."""
    incident_ids = list(incident_ids)
    if not incident_ids:
        return set()
    held = set(Hold.objects.filter(incident_id__in=incident_ids, released_at__isnull=True)
               .values_list("incident_id", flat=True))
    asking = SubjectAccessRequest.objects.filter(status__in=OPEN_STATUSES, person__isnull=False).values("person_id")
    held |= set(IncidentPerson.objects.filter(incident_id__in=incident_ids, person_id__in=asking)
                .values_list("incident_id", flat=True))
    return held


def _is_held(incident_id) -> bool:
    return bool(held_incident_ids([incident_id]))


def _lock_case(incident_id):
    return Incident.objects.select_for_update(of=("self",)).filter(pk=incident_id).first()


def _done(model):
    """The ids of `model`'s records already anonymised (a subquery)."""
    label = model._meta.label_lower
    return AnonymisedRecord.objects.filter(model=label).values("object_id")


def _mark(run, record_type, obj_or_model, pk, detail="") -> bool:
    """Mark the record done; False if another run already did (the unique key)."""
    label = obj_or_model._meta.label_lower
    _, created = AnonymisedRecord.objects.get_or_create(model=label, object_id=pk,
                                                        defaults={"run": run.record, "record_type": record_type,
                                                                  "detail": detail[:300]})
    return created


# What has passed its period ---------------------------------------------------------------


@dataclass
class Due:
    """The records of one trust past their period, by record type: querysets of what to do."""

    trust: Trust
    periods: dict
    querysets: dict = field(default_factory=dict)


def due(trust, now=None) -> Due:
    now = now or timezone.now()
    periods = policies(trust)
    cutoff = {t: _months_ago(now, periods[t][0]) for t in RecordType}
    cases = Incident.objects.filter(school__trust=trust)
    result = Due(trust, periods)
    # A complaint about the case is part of the matter (IRMS: resolved plus 6 years): the case's period
    # runs from its complaints' last outcome too, and not at all while one is open.
    complained = Complaint.objects.filter(
        Q(stage__in=COMPLAINT_OPEN_STAGES)
        | Q(steps__outcome_on__gte=timezone.localtime(cutoff[RecordType.CLOSED_CASE]).date())).values("incident_id")
    result.querysets[RecordType.CLOSED_CASE] = cases.filter(
        stage=Stage.CLOSED, stage_changed_at__lt=cutoff[RecordType.CLOSED_CASE]).exclude(
        pk__in=_done(Incident)).exclude(pk__in=complained)
    result.querysets[RecordType.EVIDENCE] = Evidence.objects.filter(
        incident__school__trust=trust, incident__stage=Stage.CLOSED,
        incident__stage_changed_at__lt=cutoff[RecordType.EVIDENCE]).exclude(pk__in=_done(Evidence))
    result.querysets[RecordType.ENDED_BAN] = SiteBan.objects.filter(
        incident__school__trust=trust, status__in=ENDED_BAN_STATUSES,
        ends_on__lt=timezone.localtime(cutoff[RecordType.ENDED_BAN]).date()).exclude(pk__in=_done(SiteBan))
    result.querysets[RecordType.LETTER] = Letter.objects.filter(
        Q(status__in=ISSUED, issued_at__lt=cutoff[RecordType.LETTER])
        | Q(status=LetterStatus.DRAFT, drafted_at__lt=cutoff[RecordType.LETTER]),
        incident__school__trust=trust).exclude(pk__in=_done(Letter))
    result.querysets[RecordType.ACCESS_LOG] = AccessLogEntry.objects.filter(
        at__lt=cutoff[RecordType.ACCESS_LOG], school_id__in=trust.schools.values("pk"))
    # A request made to the trust has no school: it follows the schedule of the trust (one per deployment).
    result.querysets[RecordType.ANSWERED_REQUEST] = SubjectAccessRequest.objects.filter(
        Q(school__trust=trust) | Q(school__isnull=True), status=RequestStatus.RELEASED,
        pack__released_at__lt=cutoff[RecordType.ANSWERED_REQUEST]).exclude(pk__in=_done(SubjectAccessRequest))
    return result


def review(now=None) -> list[dict]:
    """Per trust and record type: how many records have passed their period, how many of them are held,
    and the first few references. Reads only; for the command's listing."""
    rows = []
    for trust in Trust.objects.order_by("name"):
        found = due(trust, now)
        for record_type in RecordType:
            queryset = found.querysets[record_type]
            months, reason, set_by_trust = found.periods[record_type]
            if record_type == RecordType.ACCESS_LOG:
                incident_ids = list(queryset.exclude(incident_id=None).values_list("incident_id", flat=True)
                                    .distinct())
                total, examples = queryset.count(), []
            elif record_type == RecordType.ANSWERED_REQUEST:
                # A request holds no case: nothing of it is on hold.
                requests = list(queryset.order_by("pk").only("pk", "received_on"))
                incident_ids, total = [], len(requests)
                examples = [r.reference for r in requests[:10]]
            else:
                field_name = "pk" if record_type == RecordType.CLOSED_CASE else "incident_id"
                pairs = list(queryset.values_list("pk", field_name))
                incident_ids = {i for _pk, i in pairs}
                total = len(pairs)
                examples = list(Incident.objects.filter(pk__in=[i for _p, i in pairs[:10]])
                                .values_list("reference", flat=True))
            held = held_incident_ids(incident_ids)
            rows.append({"trust": trust, "record_type": record_type, "months": months, "reason": reason,
                         "set_by_trust": set_by_trust, "due": total, "held_cases": len(held),
                         "examples": examples})
    return rows


# Anonymising -----------------------------------------------------------------------------------


def expired_ids(queryset) -> list:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


class Run:
    def __init__(self, now):
        self.now = now
        self.record = RetentionRun.objects.create(started_at=now)
        self.counts = {t.value: 0 for t in RecordType} | {"person": 0}
        self.held = 0
        self._tombstone = None

    def tombstone(self) -> bytes:
        """The one PDF that replaces each anonymised letter: it names nobody, so one rendering serves all."""
        if self._tombstone is None:
            from sanctions.letters import rendering as renderer

            self._tombstone = renderer.render_pdf("privacy/retention_tombstone.html", {"dated": self.now})
        return self._tombstone

    def finish(self) -> RetentionRun:
        self.record.counts, self.record.skipped_held = self.counts, self.held
        self.record.finished_at = timezone.now()
        self.record.save(update_fields=["counts", "skipped_held", "finished_at"])
        return self.record


def _case_records(incident_id) -> dict:
    return {
        Statement: list(Statement.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        ParentConversation: list(ParentConversation.objects.filter(incident_id=incident_id)
                                 .values_list("pk", flat=True)),
        Proposal: list(Proposal.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        ChairConsultation: list(ChairConsultation.objects.filter(incident_id=incident_id, proposal__isnull=False)
                                .values_list("pk", flat=True)),
        Decision: list(Decision.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        CaseAccount: list(CaseAccount.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        DecisionAction: list(DecisionAction.objects.filter(decision__incident_id=incident_id)
                             .values_list("pk", flat=True)),
        BanBreach: list(BanBreach.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        StaffHarm: list(StaffHarm.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        StaffSupport: list(StaffSupport.objects.filter(harm__incident_id=incident_id).values_list("pk", flat=True)),
        Complaint: list(Complaint.objects.filter(incident_id=incident_id).values_list("pk", flat=True)),
        ComplaintStep: list(ComplaintStep.objects.filter(complaint__incident_id=incident_id)
                            .values_list("pk", flat=True)),
    }


def anonymise_case(run, incident_id) -> bool:
    with transaction.atomic():
        incident = _lock_case(incident_id)
        if incident is None or AnonymisedRecord.objects.filter(model="incidents.incident",
                                                               object_id=incident_id).exists():
            return False
        if _is_held(incident_id):
            run.held += 1
            return False
        _scrub(Incident, [incident_id], CASE_TEXT[Incident])
        for model, ids in _case_records(incident_id).items():
            _scrub(model, ids, CASE_TEXT[model], **CASE_CLEARED.get(model, {}))
        CaseEvent.objects.filter(incident_id=incident_id).update(
            summary=Concat(Value("Record anonymised: "), F("kind")), note="")
        for evidence_id in _anonymise_evidence(Evidence.objects.filter(incident_id=incident_id)):
            _mark(run, RecordType.EVIDENCE, Evidence, evidence_id, "with its case")
        _mark(run, RecordType.CLOSED_CASE, Incident, incident_id, incident.reference)
        run.counts[RecordType.CLOSED_CASE] += 1
        return True


def _anonymise_evidence(queryset) -> list:
    rows = list(queryset.values_list("pk", "file"))
    ids = [pk for pk, _name in rows]
    _scrub(Evidence, ids, ["description"], original_name="removed", file="")
    _delete_files_on_commit([name for _pk, name in rows])
    return ids


def anonymise_evidence(run, evidence_id) -> bool:
    with transaction.atomic():
        row = Evidence.objects.filter(pk=evidence_id).values("incident_id").first()
        if row is None:
            return False
        _lock_case(row["incident_id"])
        if AnonymisedRecord.objects.filter(model="incidents.evidence", object_id=evidence_id).exists():
            return False
        if _is_held(row["incident_id"]):
            run.held += 1
            return False
        _anonymise_evidence(Evidence.objects.filter(pk=evidence_id))
        _mark(run, RecordType.EVIDENCE, Evidence, evidence_id)
        run.counts[RecordType.EVIDENCE] += 1
        return True


def anonymise_ban(run, ban_id) -> bool:
    with transaction.atomic():
        row = SiteBan.objects.filter(pk=ban_id).values("incident_id").first()
        if row is None:
            return False
        _lock_case(row["incident_id"])
        if AnonymisedRecord.objects.filter(model="sanctions.siteban", object_id=ban_id).exists():
            return False
        if _is_held(row["incident_id"]):
            run.held += 1
            return False
        _scrub(SiteBan, [ban_id], BAN_TEXT[SiteBan])
        representations = list(Representation.objects.filter(ban_id=ban_id).values_list("pk", "attachment"))
        _scrub(Representation, [pk for pk, _a in representations], BAN_TEXT[Representation], attachment="")
        _delete_files_on_commit([a for _pk, a in representations])
        _scrub(BanReview, list(BanReview.objects.filter(ban_id=ban_id).values_list("pk", flat=True)),
               BAN_TEXT[BanReview])
        _scrub(ChairConsultation, list(ChairConsultation.objects.filter(ban_id=ban_id).values_list("pk", flat=True)),
               BAN_TEXT[ChairConsultation])
        _mark(run, RecordType.ENDED_BAN, SiteBan, ban_id)
        run.counts[RecordType.ENDED_BAN] += 1
        return True


def anonymise_letter(run, letter_id) -> bool:
    """The letter's text is removed and its PDF replaced by a notice saying so; the SHA-256 follows the
    new bytes (so `conduct_audit` still finds every issued letter intact) and the original one is logged."""
    with transaction.atomic():
        row = Letter.objects.filter(pk=letter_id).values("incident_id", "sha256", "status").first()
        if row is None:
            return False
        _lock_case(row["incident_id"])
        if AnonymisedRecord.objects.filter(model="sanctions.letter", object_id=letter_id).exists():
            return False
        if _is_held(row["incident_id"]):
            run.held += 1
            return False
        extra = {}
        if row["status"] != LetterStatus.DRAFT:
            pdf = run.tombstone()
            extra = {"pdf": pdf, "sha256": hashlib.sha256(pdf).hexdigest()}
        text = {name: _removed(name) for name in LETTER_TEXT}
        Letter.objects.filter(pk=letter_id).update(**text, html="", **extra)
        history = dict(text)
        if extra:
            history["sha256"] = extra["sha256"]
            # Accessible copies say what the letter said: they become the same notice.
            LetterFormat.objects.filter(letter_id=letter_id).update(**extra)
            LetterFormat.history.model.objects.filter(letter_id=letter_id).update(sha256=extra["sha256"])
        Letter.history.model.objects.filter(id=letter_id).update(**history)
        _mark(run, RecordType.LETTER, Letter, letter_id, f"original SHA-256 {row['sha256']}" if row["sha256"] else "")
        run.counts[RecordType.LETTER] += 1
        return True


def delete_access_log(run, queryset) -> int:
    """Access log entries past their period, except those of held cases: deleted (they are only a log)."""
    with transaction.atomic():
        incident_ids = set(queryset.exclude(incident_id=None).values_list("incident_id", flat=True).distinct())
        held = held_incident_ids(incident_ids)
        deleted, _ = queryset.exclude(incident_id__in=held).delete()
    run.counts[RecordType.ACCESS_LOG] += deleted
    return deleted


def anonymise_request(run, request_id) -> bool:
    """An answered request: who asked, the notes, the pack's items and its events' words are removed, its
    redactions and the pack's PDF and ZIP deleted (their SHA-256s stay on the pack, to show what was sent).
    The dates, the deadline, the pauses' days and the schools gathered stay, for the DPO's reports."""
    with transaction.atomic():
        request = SubjectAccessRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or AnonymisedRecord.objects.filter(model="privacy.subjectaccessrequest",
                                                              object_id=request_id).exists():
            return False
        _scrub(SubjectAccessRequest, [request_id], REQUEST_TEXT[SubjectAccessRequest],
               requester_name=Value("Anonymised requester"))
        for model in (RequestPause, PackItem):
            ids = list(model.objects.filter(request_id=request_id).values_list("pk", flat=True))
            extra = {"fields": [], "letter_pdf": None, "original_name": ""} if model is PackItem else {}
            _scrub(model, ids, REQUEST_TEXT[model], **extra)
        # Each redaction is a name found in the records, and nothing counts them: deleted, not blanked.
        Redaction.objects.filter(item__request_id=request_id).delete()
        RequestEvent.objects.filter(request_id=request_id).update(
            summary=Concat(Value("Record anonymised: "), F("kind")), note="")
        pack = Pack.objects.filter(request_id=request_id).values("pdf", "zip", "pdf_sha256").first()
        if pack:
            # Pack.save refuses any change to a released pack: the schedule's removal is the one exception.
            Pack.objects.filter(request_id=request_id).update(pdf="", zip="", manifest=[])
            _delete_files_on_commit([pack["pdf"], pack["zip"]])
        _mark(run, RecordType.ANSWERED_REQUEST, SubjectAccessRequest, request_id,
              f"pack PDF SHA-256 {pack['pdf_sha256']}" if pack else "")
        run.counts[RecordType.ANSWERED_REQUEST] += 1
        return True


def people_due(trust, now) -> list:
    """People whose every case, ban and letter is anonymised, added longer ago than the closed-case period."""
    months = policies(trust)[RecordType.CLOSED_CASE][0]
    people = Person.objects.filter(added_at_school__trust=trust, added_at__lt=_months_ago(now, months)).exclude(
        pk__in=_done(Person))
    live_case = IncidentPerson.objects.exclude(incident_id__in=_done(Incident)).values("person_id")
    live_ban = SiteBan.objects.exclude(pk__in=_done(SiteBan)).values("person_id")
    live_letter = Letter.objects.exclude(pk__in=_done(Letter)).values("person_id")
    return list(people.exclude(pk__in=live_case).exclude(pk__in=live_ban).exclude(pk__in=live_letter)
                .order_by("pk").values_list("pk", flat=True))


def anonymise_person(run, person_id) -> bool:
    with transaction.atomic():
        incident_ids = list(IncidentPerson.objects.filter(person_id=person_id).values_list("incident_id", flat=True))
        for incident_id in sorted(incident_ids):
            _lock_case(incident_id)
        person = Person.objects.select_for_update().filter(pk=person_id).values("photo").first()
        if person is None or AnonymisedRecord.objects.filter(model="incidents.person", object_id=person_id).exists():
            return False
        open_request = SubjectAccessRequest.objects.filter(person_id=person_id, status__in=OPEN_STATUSES).exists()
        if open_request or held_incident_ids(incident_ids):
            run.held += 1
            return False
        name = f"Anonymised person {person_id}"
        _scrub(Person, [person_id], [], full_name=name, **PERSON_BLANK)
        pupils = list(Pupil.objects.filter(person_id=person_id).values_list("pk", flat=True))
        _scrub(Pupil, pupils, [], name="Pupil")
        notes = list(PersonSchoolNote.objects.filter(person_id=person_id).values_list("pk", flat=True))
        _scrub(PersonSchoolNote, notes, [], notes="")
        # Who collects the child names other adults; when the code was given stays, its note goes.
        collectors = list(Collector.objects.filter(person_id=person_id).values_list("pk", flat=True))
        _scrub(Collector, collectors, [], name="Collector", relationship="")
        codes = list(CodeOfConductGiven.objects.filter(person_id=person_id).values_list("pk", flat=True))
        _scrub(CodeOfConductGiven, codes, [], note="")
        # The other names they went by, and the record merged into theirs (its name and contact details as
        # they were), would name them still.
        aliases = list(PersonAlias.objects.filter(person_id=person_id).values_list("pk", flat=True))
        _scrub(PersonAlias, aliases, ["name", "note"])
        merges = list(PersonMerge.objects.filter(survivor_id=person_id).values_list("pk", flat=True))
        _scrub(PersonMerge, merges, ["reason"], merged_name=Value(name), merged_details={})
        _delete_files_on_commit([person["photo"]])
        _mark(run, "person", Person, person_id)
        run.counts["person"] += 1
        return True


def apply(now=None) -> RetentionRun:
    """Anonymise everything past its period and not on hold; safe to run twice (the second does nothing)."""
    now = now or timezone.now()
    run = Run(now)
    for trust in Trust.objects.order_by("pk"):
        found = due(trust, now)
        for pk in expired_ids(found.querysets[RecordType.CLOSED_CASE]):
            anonymise_case(run, pk)
        for pk in expired_ids(found.querysets[RecordType.EVIDENCE]):
            anonymise_evidence(run, pk)
        for pk in expired_ids(found.querysets[RecordType.ENDED_BAN]):
            anonymise_ban(run, pk)
        for pk in expired_ids(found.querysets[RecordType.LETTER]):
            anonymise_letter(run, pk)
        delete_access_log(run, found.querysets[RecordType.ACCESS_LOG])
        for pk in expired_ids(found.querysets[RecordType.ANSWERED_REQUEST]):
            anonymise_request(run, pk)
        for pk in people_due(trust, now):
            anonymise_person(run, pk)
    return run.finish()

