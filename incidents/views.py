from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conduct.access import record_view
from conduct.audit import audit_log
from conduct.dates import page_date
from conduct.models import School
from conduct.pagination import CappedPaginator
from conduct.params import parse_id, query_text
from conduct.permissions import has_role, is_trust_reader, readable_school_ids, schools_with_role
from conduct.roles import CASE_LEADERS, STAFF_WRITERS
from conduct.uploads import safe_filename
from incidents import services
from incidents.crossschool import get_match_for, side, viewer_school_id
from incidents.forms import (
    ConversationForm,
    EvidenceForm,
    IncidentFilterForm,
    IncidentForm,
    NewPersonFormSet,
    PersonEditForm,
    PersonForm,
    PersonMergeChoiceForm,
    PersonMergeForm,
    RiddorReportForm,
    StaffHarmDaysForm,
    StaffHarmForm,
    StaffSupportForm,
    StatementForm,
)
from incidents.models import (
    BreachCategory,
    Incident,
    IncidentPerson,
    Involvement,
    PersonAlias,
    Pupil,
)
from incidents.panels import case_panels, next_action_url, person_panels
from incidents.person_flags import people_banned
from incidents.search import TRIGRAM_MIN
from incidents.selectors import (
    PICKER_LIMIT,
    case_record,
    duplicate_matches,
    filter_incidents,
    get_evidence_for,
    get_incident_for,
    get_person_for,
    get_staff_harm_for,
    incidents_for,
    merge_list,
    people_chosen,
    people_for,
    person_aliases_for,
    person_codes_given_for,
    person_collectors_for,
    person_facts,
    person_matches,
    person_notes_for,
    person_pupils_for,
    person_writable_schools,
    picker_text,
    pupils_prefetch,
    search_people,
    staff_harmed_list,
    staged_uploads_for,
)
from incidents.workflow import Stage, find_transition, transitions_from
from incidents.worklists import get_section

PAGE_SIZE = 25
# The person page lists their latest incidents; the incident list, filtered to them, has the rest.
PERSON_INCIDENTS_SHOWN = 20
# The merge page lists this many records found by name; a longer name finds fewer.
MERGE_MATCHES_SHOWN = 10


NOT_SAVED = object()


def save_through_service(request, form, save, success):
    """Validate the form and hand its data to a service; return what the service returned.

    Returns NOT_SAVED on GET or when the form or the service refuses: the
    service's ValidationError is shown next to the field it names, so the user
    keeps everything they typed, and the transaction means nothing is saved
    half-way. `success` is the message, or a function of what the service returned that gives it.
    """
    if request.method != "POST" or not form.is_valid():
        return NOT_SAVED
    try:
        with transaction.atomic():
            result = save(form.cleaned_data)
    except ValidationError as error:
        _apply_errors(form, error)
        return NOT_SAVED
    messages.success(request, success(result) if callable(success) else success)
    return result


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


# Incidents -----------------------------------------------------------------------


@require_safe
def incident_list(request):
    schools = School.objects.filter(pk__in=readable_school_ids(request.user)).order_by("name")
    form = IncidentFilterForm(request.GET or None, schools=schools, people=people_for(request.user))
    incidents = incidents_for(request.user)
    section = counted = None
    if form.is_valid():
        if form.cleaned_data.get("category"):
            # The one filter that a count is better written otherwise (filter_incidents says why).
            counted = filter_incidents(incidents, form.cleaned_data, user=request.user, counting=True)
        incidents = filter_incidents(incidents, form.cleaned_data, user=request.user)
        section = get_section(form.cleaned_data["work"]) if form.cleaned_data["work"] else None
    overdue_only = form.is_valid() and form.cleaned_data["overdue"]
    searching = form.is_valid() and bool(form.cleaned_data.get("q"))
    # A search, the overdue cases and a work list are put in an order no index holds, so the page's
    # query reads every match anyway and may as well count them; newest first stops after a page.
    page = CappedPaginator(_listed_order(incidents, section, overdue_only).values("pk"), PAGE_SIZE,
                           count_in_page=searching or overdue_only or section is not None,
                           count_rows=counted).get_page(request.GET.get("page"))
    page.object_list = _listed_rows([row["pk"] for row in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "incidents/incident_list.html",
                  {"form": form, "page": page, "query": query.urlencode(), "section": section,
                   "overdue_only": overdue_only,
                   "person_filter": form.cleaned_data.get("person") if form.is_valid() else None,
                   "show_school": len(schools) > 1})


def _listed_order(incidents, section, overdue_only):
    # A work list keeps its own order (most urgent first), overdue cases the longest-waiting first;
    # otherwise newest first, as the index runs.
    if section:
        return section.ordered(incidents)
    if overdue_only:
        return incidents.order_by("stage_changed_at", "pk")
    return incidents.order_by("-occurred_at", "-pk")


def _listed_rows(ids: list) -> list:
    """The page's cases in the order of `ids`.

    The list is paged over ids alone and the page's 25 cases are read afterwards by primary key: when a
    filter leaves thousands of matches to sort (a common name, every overdue case), sorting ids costs a
    fraction of sorting whole rows, and the filter is not run a second time for the rows.
    """
    # Into plain lists (to_attr), which spares a manager and a cloned queryset per row and relation.
    rows = Incident.objects.filter(pk__in=ids).select_related("school").prefetch_related(
        Prefetch("categories", queryset=BreachCategory.objects.all(), to_attr="listed_categories"),
        Prefetch("person_links", queryset=IncidentPerson.objects.select_related("person"), to_attr="listed_links"),
    )
    by_pk = {incident.pk: incident for incident in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _writer_schools(user):
    schools = schools_with_role(user, STAFF_WRITERS)
    if not schools.exists():
        raise PermissionDenied("Your role cannot log incidents.")
    return schools


def incident_new(request):
    schools = _writer_schools(request.user)
    people = people_for(request.user)
    form = IncidentForm(request.POST or None, request.FILES or None, schools=schools, people=people,
                        staged=staged_uploads_for(request.user) if request.method == "POST" else None)
    people_forms = NewPersonFormSet(request.POST or None, prefix="new")
    kept_files, lost_files = [], []
    # "Find" in a picker without JavaScript: the form comes back with the matches, nothing saved, nothing refused.
    finding = request.method == "POST" and any(f"find_{name}" in request.POST for name in PICKER_FIELDS)
    if request.method == "POST":
        if finding:
            _without_errors(form, people_forms)
        elif form.is_valid() and people_forms.is_valid():
            if not _new_people_decided(request, form.cleaned_data["school"], people_forms):
                messages.warning(request, "Someone you added under “Someone new” may already be known: "
                                          "use the known person or add them as new anyway, then log the incident.")
            else:
                try:
                    incident = _create_incident(request.user, form.cleaned_data, people_forms,
                                                kept=form.files_to_attach())
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    _discard_removed(request.user, form)
                    messages.success(request, f"Incident {incident.reference} logged.")
                    return redirect(incident)
                messages.error(request, "The incident was not saved: please correct the problems shown.")
        else:
            messages.error(request, "The incident was not saved: please correct the problems shown.")
        kept_files, lost_files = _keep_files(request, form, schools)
    return render(request, "incidents/incident_form.html",
                  {"form": form, "people_forms": people_forms, "kept_files": kept_files, "lost_files": lost_files,
                   "pickers": _pickers(request, form),
                   "folded": _folded_open(request, form, people_forms, kept_files or lost_files)})


def _folded_open(request, form, people_forms, files) -> dict:
    """Which folded blocks of the incident form open by themselves: those holding what was posted or an error."""
    if request.method != "POST":
        return {}
    post = request.POST

    def posted(*names):
        return any(str(value).strip() for name in names for value in post.getlist(name))

    def errors(*names):
        return any(form[name].errors for name in names)

    return {
        "new_people": any(
            pform.errors or getattr(pform, "guard", None)
            or posted(*(f"{pform.prefix}-{name}" for name in ("full_name", "phone", "email", "address")))
            for pform in people_forms.forms
        ),
        "more_people": posted("witnesses", "witnesses_find", "find_witnesses", "pupils_affected", "staff_affected")
        or errors("witnesses", "pupils_affected", "staff_affected"),
        "evidence": bool(files) or posted("evidence_description")
        or errors("evidence", "evidence_description", "kept_files", "remove_files"),
    }


def _discard_removed(user, form) -> None:
    for staged in form.cleaned_data.get("remove_files", []) if hasattr(form, "cleaned_data") else []:
        services.staged_upload_discard(actor=user, staged=staged)


def _keep_files(request, form, schools) -> tuple[list, list]:
    """A form that comes back (an error, Find, the duplicate guard) keeps its files (issue 25): those kept before,
    less those ticked "Remove", and the files just chosen that pass the upload checks, kept for the user at the
    form's school. Returns (the kept files, the names of files that could not be kept and must be chosen again);
    a file refused by the upload checks is neither: the form says why."""
    _discard_removed(request.user, form)
    data = getattr(form, "cleaned_data", {})
    kept = form.files_to_attach() if hasattr(form, "cleaned_data") else []
    school = data.get("school") or (schools.first() if len(schools) == 1 else None)
    lost = []
    for upload in request.FILES.getlist("evidence"):
        try:
            if school is None:
                raise ValidationError("No school to keep it for.", code="staged_no_school")
            kept.append(services.staged_upload_create(actor=request.user, school=school, upload=upload))
        except ValidationError as error:
            if (error.code or "").startswith("staged_"):
                lost.append(safe_filename(upload.name))
    return kept, lost


# The two person pickers of the incident form (issue 21.1).
PICKER_FIELDS = {"subjects": "People the incident is about (already known)",
                 "witnesses": "Adult witnesses (already known)"}


def _without_errors(*forms) -> None:
    """Show bound forms as typed, without errors: the user asked to find someone, not to save."""
    for form in forms:
        if hasattr(form, "forms"):
            form.is_valid()
            form._non_form_errors = form.error_class()
            _without_errors(*form.forms)
            form._errors = [subform.errors for subform in form.forms]
        else:
            form.is_valid()
            form._errors = ErrorDict()


def _pickers(request, form) -> list[dict]:
    """Each picker's people: those chosen (checked), then those its "Find" found (not yet checked), each with
    what tells them apart. A constant number of queries however many people there are."""
    chosen = {name: _ids(request.POST.getlist(name))[:PICKER_LIMIT * 5] for name in PICKER_FIELDS}
    texts = {name: picker_text(request.POST.get(f"{name}_find", "")) for name in PICKER_FIELDS}
    searched = {name: f"find_{name}" in request.POST for name in PICKER_FIELDS}
    found = {name: person_matches(request.user, texts[name], exclude_ids=chosen[name])
             if searched[name] else [] for name in PICKER_FIELDS}
    known = {p.pk: p for p in people_chosen(request.user, {i for ids in chosen.values() for i in ids})}
    facts = {row.person.pk: row for row in person_facts(request.user, known.values())}
    pickers = []
    for name, label in PICKER_FIELDS.items():
        rows = [(facts[pk], True) for pk in dict.fromkeys(chosen[name]) if pk in facts]
        rows += [(row, False) for row in found[name]]
        pickers.append({"name": name, "label": label, "field": form[name], "rows": rows, "text": texts[name],
                        "searched": searched[name], "found": len(found[name]), "min_length": TRIGRAM_MIN})
    return pickers


def _ids(values) -> list[int]:
    """The values that are ids, as numbers; anything else (text, a huge number) left out."""
    return [pk for pk in (parse_id(str(v).strip()) for v in values) if pk is not None]


def _posted_ids(value) -> set:
    return set(_ids((value or "").split(",")[:PICKER_LIMIT]))


def _guard_decision(post, prefix, matches):
    """The duplicate guard's answer for one person typed: (known person to use, records warned about), or None
    while the user has not chosen. "Add anyway" counts only for the records they were shown."""
    if not matches:
        return None, []
    shown = {row.person.pk: row.person for row in matches}
    choice = post.get(f"{prefix}decision", "")
    if _ids([choice]) and _ids([choice])[0] in shown:
        return shown[_ids([choice])[0]], []
    if choice == "new" and set(shown) <= _posted_ids(post.get(f"{prefix}warned")):
        return None, list(shown.values())
    return False


def _new_people_decided(request, school, people_forms) -> bool:
    """Each filled "Someone new" block, past the duplicate guard: `use` (a known person instead), `warned`
    (add anyway), or `guard` (the matches to show). True when no block waits for the user."""
    decided = True
    for pform in people_forms.forms:
        pform.use, pform.warned, pform.guard = None, [], []
        data = pform.cleaned_data
        if not data.get("full_name", "").strip():
            continue
        matches = duplicate_matches(request.user, school, name=data["full_name"], email=data.get("email", ""),
                                    phone=data.get("phone", ""))
        decision = _guard_decision(request.POST, f"{pform.prefix}-", matches)
        if decision is False:
            pform.guard = matches
            decided = False
        else:
            pform.use, pform.warned = decision
    return decided


def _create_incident(user, data, people_forms, kept=()):
    from django.db import transaction

    with transaction.atomic():
        subjects, witnesses = list(data["subjects"]), list(data["witnesses"])
        for pform in people_forms.forms:
            block = pform.cleaned_data
            if not block.get("full_name", "").strip():
                continue
            person = getattr(pform, "use", None) or services.person_create(
                actor=user, school=data["school"], title=block["title"], full_name=block["full_name"],
                relationship=block["relationship"], phone=block["phone"], email=block["email"],
                address=block["address"], duplicate_of=getattr(pform, "warned", []),
            )
            (subjects if block["involvement"] == Involvement.SUBJECT else witnesses).append(person)
        # A known person chosen twice (in the picker and by the duplicate guard) is named once, as a subject first.
        subjects = list({p.pk: p for p in subjects}.values())
        witnesses = [p for p in {p.pk: p for p in witnesses}.values() if p.pk not in {s.pk for s in subjects}]
        return services.incident_create(
            actor=user, school=data["school"], occurred_at=data["occurred_at"], location=data["location"],
            location_detail=data["location_detail"], description=data["description"],
            categories=data["categories"], subjects=subjects, witnesses=witnesses,
            pupils_affected=data["pupils_affected"], staff_affected=data["staff_affected"],
            reported_by=data["reported_by"],
            evidence_files=[(f, data["evidence_description"]) for f in data["evidence"]],
            staged_files=[(staged, data["evidence_description"]) for staged in kept],
        )


def _readable(incident, field_name, value):
    """A history value as people read it: choice labels."""
    field = incident._meta.get_field(field_name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _history_rows(incident):
    """Who changed what and when, from simple-history, newest first.

    The categories' history is read in one query for every record, rather than
    by simple-history's diff (two queries per record), so the case page makes
    the same number of queries however long the case's history is.
    """
    records = list(incident.history.select_related("history_user").order_by("history_date", "history_id"))
    through = incident.history.model.categories.model
    categories_at = {}
    for history_id, name in through.objects.filter(
        history_id__in=[r.history_id for r in records]
    ).values_list("history_id", "breachcategory__name"):
        categories_at.setdefault(history_id, set()).add(name or "?")
    label = incident._meta.get_field("categories").verbose_name
    rows = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version", "stage_changed_at", "categories"])
            changes = [
                (incident._meta.get_field(c.field).verbose_name, _readable(incident, c.field, c.old),
                 _readable(incident, c.field, c.new))
                for c in delta.changes
            ]
            before, after = categories_at.get(previous.history_id, set()), categories_at.get(record.history_id, set())
            if before != after:
                changes.append((label, "; ".join(sorted(before)), "; ".join(sorted(after))))
        rows.append({"record": record, "changes": changes})
        previous = record
    return list(reversed(rows))


@require_safe
def incident_detail(request, pk):
    incident = get_incident_for(request.user, pk, with_categories=True)
    record_view(request.user, "case", incident, incident.school_id)
    record = case_record(request.user, incident)
    events = list(incident.events.select_related("actor"))
    # The stages this case has been through, and the kinds of its events: every service that adds a
    # record writes its event in the same transaction (conduct_audit checks it), so the panels skip
    # the records a case cannot have, and the queries that would find none.
    incident.stages_reached = {event.to_stage for event in events if event.to_stage}
    incident.event_kinds = {event.kind for event in events}
    extra = case_panels(request, incident)
    # Read only when the case has one: every harm recorded writes its event (the services).
    staff_harmed = staff_harmed_list(incident) if "staff_harm" in incident.event_kinds else []
    context = {
        "incident": incident,
        **record,
        "staff_harmed": staff_harmed,
        "riddor_due": [harm for harm in staff_harmed if harm.riddor_outstanding],
        "events": events,
        "can_write": has_role(request.user, incident.school, STAFF_WRITERS) and incident.stage != Stage.CLOSED,
        "can_lead": has_role(request.user, incident.school, CASE_LEADERS),
        # Days off and the RIDDOR report come later, after the case has closed too.
        "can_write_harm": has_role(request.user, incident.school, STAFF_WRITERS),
        "simple_transitions": [
            t for t in transitions_from(incident.stage)
            if not t.needs_record and has_role(request.user, incident.school, t.roles)
        ],
        "stages": Stage,
        **extra,
    }
    return render(request, "incidents/incident_detail.html", context)


@require_safe
def incident_history(request, pk):
    """Who changed which of the case's details, and when: its own page, so that the case page, opened
    far more often, reads and renders none of it."""
    incident = get_incident_for(request.user, pk)
    record_view(request.user, "case", incident, incident.school_id)
    return render(request, "incidents/incident_history.html",
                  {"incident": incident, "history": _history_rows(incident)})


@require_POST
def incident_advance(request, pk):
    incident = get_incident_for(request.user, pk)
    target = request.POST.get("to_stage", "")
    if target not in Stage.values:
        messages.error(request, "That is not a stage.")
        return redirect(incident)
    transition = find_transition(incident.stage, target)
    if transition is not None and transition.needs_record:
        # Proposals, consultations, decisions, closing and reopening each have
        # their own page, which records what the move needs (a reason, an
        # outcome); this button only makes the moves that need nothing.
        messages.error(request, f"Use “{transition.label}” on the case page to make this move.")
        return redirect(incident)
    try:
        services.incident_transition(actor=request.user, incident=incident, to_stage=target,
                                     note=query_text(request.POST, "note", max_length=2000))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The case is now at “{Stage(target).label}”.")
    return redirect(incident)


def _leader_form_view(request, pk, form_class, template, save, success, heading):
    incident = get_incident_for(request.user, pk)
    if not has_role(request.user, incident.school, CASE_LEADERS):
        raise PermissionDenied("Only senior leaders and the head record this.")
    form = form_class(request.POST or None)
    message = (lambda record: success(incident, record)) if callable(success) else success
    record = save_through_service(request, form, lambda data: save(incident, data), message)
    if record is not NOT_SAVED:
        return redirect(_page_after_saving(request, record.incident))
    # Called by the template only where it asks (the statement form's "Save, then record the conversation").
    return render(request, template, {"incident": incident, "form": form, "heading": heading,
                                      "conversation_to_record": lambda: not incident.conversations.exists()})


# The "Save, then …" buttons of the statement and conversation forms: the record's next step, one click on.
_THEN_PROPOSE = "Propose a response"


def _page_after_saving(request, incident) -> str:
    then = request.POST.get("then")
    if then == "another":  # statements come several at a time: the same, empty form again
        return request.path
    if then == "conversation":
        return reverse("incidents:conversation_record", args=[incident.pk])
    if then == "propose":  # offered by sanctions once the conversation has moved the case on
        return next_action_url(request, incident, _THEN_PROPOSE) or incident.get_absolute_url()
    return incident.get_absolute_url()


def _saved_and_moved(done):
    """The success message for a record that may have moved the case on: the service returns the record,
    its `incident` the case as it now is."""
    def message(before, record):
        if record.incident.stage == before.stage:
            return done
        return f"{done} The case is now at “{record.incident.get_stage_display()}”."
    return message


def statement_add(request, pk):
    def save(incident, data):
        return services.statement_add(actor=request.user, incident=incident, **data)

    return _leader_form_view(request, pk, StatementForm, "incidents/statement_form.html", save,
                             _saved_and_moved("Statement recorded."), "Record a statement")


def conversation_record(request, pk):
    def save(incident, data):
        return services.conversation_record(actor=request.user, incident=incident, **data)

    return _leader_form_view(request, pk, ConversationForm, "incidents/conversation_form.html", save,
                             _saved_and_moved("The parent conversation is recorded."),
                             "The conversation with the parent")


def evidence_add(request, pk):
    incident = get_incident_for(request.user, pk)
    if not has_role(request.user, incident.school, STAFF_WRITERS):
        raise PermissionDenied("Your role cannot add evidence.")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    def save(data):
        for upload in data["files"]:
            services.evidence_add(actor=request.user, incident=incident, upload=upload,
                                  description=data["description"])

    if save_through_service(request, form, save, "Evidence added.") is not NOT_SAVED:
        return redirect(incident)
    return render(request, "incidents/evidence_form.html",
                  {"incident": incident, "form": form, "heading": "Add evidence", "multipart": True})


@require_safe
def evidence_download(request, pk):
    evidence = get_evidence_for(request.user, pk)
    audit_log(request.user, "evidence_download", evidence)
    record_view(request.user, "evidence", evidence, evidence.incident.school_id)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    return response


# Staff harmed and RIDDOR (issue 26) -------------------------------------------------------------------------


def _harm_form_page(request, incident, form, save, success, heading, intro=""):
    if save_through_service(request, form, save, success) is not NOT_SAVED:
        return redirect(f"{incident.get_absolute_url()}#h-staff-harmed")
    return render(request, "incidents/_simple_form.html",
                  {"incident": incident, "form": form, "heading": heading, "intro": intro})


def staff_harm_add(request, pk):
    incident = get_incident_for(request.user, pk)
    if not has_role(request.user, incident.school, STAFF_WRITERS):
        raise PermissionDenied("Your role cannot record staff harmed.")
    form = StaffHarmForm(request.POST or None, staff=services.staff_at_school(incident.school))

    def save(data):
        return services.staff_harm_record(actor=request.user, incident=incident, **data)

    return _harm_form_page(request, incident, form, save, _harm_saved("Member of staff harmed recorded."),
                           "Record a member of staff harmed",
                           "One record for each member of staff hurt or distressed by the incident. A physical "
                           "injury that keeps them from their normal work for more than 7 days is reported to "
                           "the HSE under RIDDOR within 15 days of the incident.")


def _harm_saved(done):
    def message(harm):
        if harm.riddor_outstanding:
            return f"{done} A RIDDOR report is due by {page_date(harm.riddor_due_on)}."
        return done
    return message


def staff_harm_days(request, pk):
    harm = get_staff_harm_for(request.user, pk)
    if not has_role(request.user, harm.incident.school, STAFF_WRITERS):
        raise PermissionDenied("Your role cannot update days off.")
    form = StaffHarmDaysForm(request.POST or None, initial={"days_off": harm.days_off, "version": harm.version})

    def save(data):
        try:
            return services.staff_harm_days_update(actor=request.user, harm=harm, days_off=data["days_off"],
                                                   expected_version=data["version"])
        except services.ConflictError as error:
            form.data = form.data.copy()
            form.data["version"] = harm.version
            raise ValidationError(f"{error} Check the days off shown on the case, then save again.") from error

    return _harm_form_page(request, harm.incident, form, save, _harm_saved("Days off updated."),
                           f"Days off work: {harm.name}")


def staff_support_add(request, pk):
    harm = get_staff_harm_for(request.user, pk)
    if not has_role(request.user, harm.incident.school, CASE_LEADERS):
        raise PermissionDenied("Only senior leaders and the head record support offered.")
    form = StaffSupportForm(request.POST or None)

    def save(data):
        return services.staff_support_record(actor=request.user, harm=harm, **data)

    return _harm_form_page(request, harm.incident, form, save, "Support offered recorded.",
                           f"Support offered to {harm.name}")


def staff_harm_riddor(request, pk):
    harm = get_staff_harm_for(request.user, pk)
    if not has_role(request.user, harm.incident.school, CASE_LEADERS):
        raise PermissionDenied("Only senior leaders and the head record a RIDDOR report.")
    made_by = request.user.get_full_name() or request.user.get_username()
    form = RiddorReportForm(request.POST or None, initial={"made_by": made_by, "reported_on": timezone.localdate()})

    def save(data):
        return services.staff_harm_riddor_report(actor=request.user, harm=harm, **data)

    due = f" It is due by {page_date(harm.riddor_due_on)}." if harm.riddor_due_on else ""
    return _harm_form_page(request, harm.incident, form, save, "RIDDOR report recorded.",
                           f"RIDDOR report: {harm.name}",
                           f"Report the injury to the HSE (www.hse.gov.uk/riddor), then record the report here.{due}")


# People --------------------------------------------------------------------------


@require_safe
def person_list(request):
    people = people_for(request.user).prefetch_related(pupils_prefetch(request.user))
    q = query_text(request.GET, "q")
    if q:
        people = search_people(people, q, request.user)
    page = CappedPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    banned = people_banned([p.pk for p in page], None if is_trust_reader(user) else readable_school_ids(user))
    return render(request, "incidents/person_list.html", {"page": page, "q": q, "banned": banned,
                  "can_add": bool(schools_with_role(user, STAFF_WRITERS))})


@require_safe
def person_detail(request, pk):
    person = get_person_for(request.user, pk, with_merges=True)
    record_view(request.user, "person", person, person.added_at_school_id)
    # A person may be named in a case once only (incidentperson_unique), so no DISTINCT is needed.
    theirs = incidents_for(request.user).filter(person_links__person=person)
    incidents = list(theirs.select_related("school").prefetch_related("categories")
                     .order_by("-occurred_at", "-pk")[:PERSON_INCIDENTS_SHOWN])
    total = theirs.count()
    pupils, notes = person_pupils_for(request.user, person), person_notes_for(request.user, person)
    aliases = person_aliases_for(request.user, person)
    writable = person_writable_schools(request.user, person)
    codes_given, collectors = person_codes_given_for(request.user, person), person_collectors_for(request.user, person)
    return render(request, "incidents/person_detail.html", {
        "person": person, "incidents": incidents, "pupils": pupils, "notes": notes, "total": total,
        "aliases": aliases, "codes_given": codes_given, "collectors": collectors,
        "writable_ids": {s.pk for s in writable},
        "all_url": f"{reverse('incidents:incident_list')}?person={person.pk}" if total > len(incidents) else "",
        "can_edit": bool(writable), "edits_details": any(s.pk == person.added_at_school_id for s in writable),
        "name_schools": len({p.school_id for p in pupils} | {n.school_id for n in notes}
                            | {a.school_id for a in aliases} | {c.school_id for c in codes_given}
                            | {c.school_id for c in collectors}) > 1,
        "merges": merge_list(person), "can_merge": services.may_merge_people(request.user, [person]),
        "panels": person_panels(request, person),
    })


def person_new(request):
    schools = _writer_schools(request.user).order_by("name")
    form = PersonForm(request.POST or None, schools=schools)
    guard = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        pupils, aliases = data.pop("pupil_names"), data.pop("alias_lines")
        school = data.pop("school", None) or schools[0]
        # The duplicate guard (issue 21.2): someone known at the school by this name, email or phone.
        matches = duplicate_matches(request.user, school, name=data["full_name"], email=data["email"],
                                    phone=data["phone"])
        decision = _guard_decision(request.POST, "", matches)
        if decision is False:
            guard = matches
            messages.warning(request, "This person may already be known: use the known record, "
                                      "or add them as a new person anyway.")
        elif decision[0] is not None:
            messages.info(request, f"{decision[0].full_name} is already known: nothing new was added.")
            return redirect(decision[0])
        else:
            person = services.person_create(actor=request.user, school=school, pupils=pupils, aliases=aliases,
                                            duplicate_of=decision[1], **data)
            messages.success(request, f"{person.full_name} added.")
            return redirect(person)
    return render(request, "incidents/person_form.html", {"form": form, "guard": guard})


@require_safe
def person_search(request):
    """The person picker's search (static/js/person-picker.js): at most PICKER_LIMIT people the user may see,
    found by name, another name their schools recorded, email or phone, each with what tells them apart."""
    text = picker_text(request.GET.get("q", ""))
    rows = person_matches(request.user, text)
    return JsonResponse({"q": text, "min_length": TRIGRAM_MIN, "results": [row.as_json() for row in rows]})


def person_edit(request, pk):
    """One school's part of a shared person (its notes and pupils), and the shared details for the school
    that added them. `?school=` picks which of the user's schools when they have several."""
    person = get_person_for(request.user, pk)
    schools = person_writable_schools(request.user, person)
    if not schools:
        raise PermissionDenied("Only staff of a school that knows this person may edit them.")
    school = {str(s.pk): s for s in schools}.get(request.GET.get("school", ""), schools[0])
    edits_details = school.pk == person.added_at_school_id
    note = person.school_notes.filter(school=school).first()
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS} | {
        "version": person.version, "notes": note.notes if note else ""}
    form = PersonEditForm(request.POST or None, initial=initial, school=school, edits_details=edits_details,
                          pupils=Pupil.objects.filter(person=person, school=school),
                          aliases=PersonAlias.objects.filter(person=person, school=school))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, link, unlink = data.pop("version"), data.pop("pupil_names"), data.pop("unlink_pupils", [])
        add_aliases, remove_aliases = data.pop("alias_lines"), data.pop("remove_aliases", [])
        try:
            services.person_update(actor=request.user, person=person, expected_version=version, school=school,
                                   link_pupils=link, unlink_pupils=[p.pk for p in unlink],
                                   add_aliases=add_aliases, remove_aliases=[a.pk for a in remove_aliases], **data)
        except services.ConflictError as error:
            form.add_error(None, f"{error} Your changes are below and were not saved: "
                           "check the current record, then save again.")
            form.data = form.data.copy()
            form.data["version"] = person.version
        else:
            messages.success(request, "Saved.")
            return redirect(person)
    return render(request, "incidents/person_form.html", {"form": form, "person": person, "school": school,
                                                          "schools": schools})


# Merging two records of one person (issue 21.4): name the other record, compare the two, confirm.


def _merge_candidates(request, pk):
    """The person (404 outside the user's schools), and the records they may be merged with; 403 for a user
    who may not merge this record (not its schools' head, the DPO or the trust administrator)."""
    person = get_person_for(request.user, pk)
    if not services.may_merge_people(request.user, [person]):
        raise PermissionDenied("Only the head of every school that knows this person, the data protection "
                               "officer or the trust administrator may merge records.")
    return person, people_for(request.user).exclude(pk=person.pk)


def _merge_refused(user, person, other) -> str:
    if services.may_merge_people(user, [person, other]):
        return ""
    return ("The other record is also known at a school you are not head of: ask the data protection officer "
            "to merge them.")


def _merge_side(user, person) -> dict:
    cases = incidents_for(user).filter(person_links__person=person).count()
    return {"person": person, "cases": cases}


def person_merge(request, pk):
    """GET: find the other record (by name or number); GET ?other=: both records side by side, with the
    choice of which stays and why; POST: merge, then show the record that stays."""
    person, others = _merge_candidates(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    choice = PersonMergeChoiceForm(data if "other" in data else None, people=others)
    other = choice.cleaned_data["other"] if choice.is_bound and choice.is_valid() else None
    if other is not None and (refused := _merge_refused(request.user, person, other)):
        choice.add_error("other", refused)
        other = None
    if other is None:
        q = query_text(request.GET, "q")
        found = list(search_people(others, q, request.user)[:MERGE_MATCHES_SHOWN]) if q else []
        return render(request, "incidents/person_merge.html", {"person": person, "form": choice, "q": q,
                                                              "found": found})
    if request.method != "POST":
        form = PersonMergeForm(initial={"other": other.pk, "keep": "this"}, people=others)
        return _merge_confirm_page(request, person, other, form)
    form = PersonMergeForm(request.POST, people=others)
    if form.is_valid():
        survivor, duplicate = (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
        merged = save_through_service(request, form, lambda data: services.person_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, reason=data["reason"]),
            f"Merged: {duplicate.full_name} (#{duplicate.pk}) is now part of this record.")
        if merged is not NOT_SAVED:
            return redirect(survivor)
    return _merge_confirm_page(request, person, other, form)


def _merge_confirm_page(request, person, other, form):
    return render(request, "incidents/person_merge_confirm.html", {
        "person": person, "other": other, "form": form,
        "sides": [_merge_side(request.user, person), _merge_side(request.user, other)]})


# The trust's schools told, not shown (issue 21.5): the alert, and the head's "same person" or "not the same".


@require_safe
def person_match_detail(request, pk):
    """What the work list links to: which school to contact, and the two answers. Nothing of the other school's
    cases. 404 for anyone but the two schools' heads and the DPO."""
    match = get_match_for(request.user, pk)
    own = viewer_school_id(request.user, match)
    told = [side(match, own)] if own is not None else [side(match, match.school_id), side(match, match.other_school_id)]
    return render(request, "incidents/person_match_detail.html",
                  {"match": match, "rows": told, "dpo_view": own is None})


def _match_decision(request, pk, decide, done):
    match = get_match_for(request.user, pk)
    try:
        decide(actor=request.user, match=match)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    # Back to the case page the answer was given on, when it is one of ours; otherwise the alert's own page.
    if back.isdigit():
        return redirect("incidents:incident_detail", int(back))
    return redirect("incidents:person_match_detail", match.pk)


@require_POST
def person_match_confirm(request, pk):
    return _match_decision(request, pk, services.person_match_confirm,
                           "Recorded: the same person. Each school still sees only its own cases.")


@require_POST
def person_match_dismiss(request, pk):
    return _match_decision(request, pk, services.person_match_dismiss,
                           "Recorded: not the same person. You will not be told of this pair again.")
