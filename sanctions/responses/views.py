from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from conduct.access import record_view
from conduct.permissions import has_role, readable_school_ids
from conduct.roles import CASE_LEADERS, Role
from incidents.selectors import case_record, get_incident_for
from incidents.views import NOT_SAVED, save_through_service
from incidents.workflow import Stage
from sanctions.case_records import case_records
from sanctions.models import ChairConsultation, DecisionAction
from sanctions.responses import services
from sanctions.responses.forms import (
    ActionDoneForm,
    CloseForm,
    ConsultationForm,
    DecisionForm,
    ProposalForm,
    ReopenForm,
)
from sanctions.responses.selectors import earlier_history_for, suggestions_for


def _case_form(request, pk, *, roles, form_class, template, save, success, heading, extra=None,
               initial=None, confirm="", stages=None, done_url=None, shows_case=False):
    """`shows_case`: the page repeats the case's own records above its form (the Chair's consultation and the
    head's decision are made on what the case holds, read on the page that records them)."""
    incident = get_incident_for(request.user, pk, with_categories=shows_case)
    if not has_role(request.user, incident.school, roles):
        raise PermissionDenied("Your role cannot do this for this case.")
    if stages and incident.stage not in stages:
        # A form that could only fail would waste what the user types into it.
        messages.info(request, f"Nothing to do here: the case is at “{incident.get_stage_display()}”.")
        return redirect(incident)
    form = form_class(request.POST or None, initial=initial)
    result = save_through_service(request, form, lambda data: save(incident, data), success)
    if result is not NOT_SAVED:
        return redirect(done_url(incident, result) if done_url else incident)
    context = {"incident": incident, "form": form, "heading": heading, "confirm": confirm}
    if shows_case:
        record_view(request.user, "case", incident, incident.school_id)
        context.update(case_record(request.user, incident))
    context.update(extra(incident) if extra else {})
    return render(request, template, context)


def proposal_new(request, pk):
    def save(incident, data):
        services.proposal_submit(actor=request.user, incident=incident, **data)

    def extra(incident):
        return {"history": earlier_history_for(request.user, incident),
                "suggestions": suggestions_for(incident), "submit_label": "Propose this response"}

    return _case_form(request, pk, roles=CASE_LEADERS, form_class=ProposalForm,
                      template="sanctions/proposal_form.html", save=save,
                      success="The response is proposed.", heading="Propose a response", extra=extra)


def consultation_new(request, pk):
    def save(incident, data):
        services.consultation_record(actor=request.user, incident=incident, **data)

    def extra(incident):
        return {"proposal": services.current_proposal(incident), "submit_label": "Record the consultation"}

    return _case_form(request, pk, roles={Role.CHAIR}, form_class=ConsultationForm,
                      template="sanctions/consultation_form.html", save=save,
                      success="Your consultation is recorded.", heading="Chair's consultation on a proposed ban",
                      extra=extra, initial={"consulted_on": timezone.localdate()}, stages={Stage.AWAITING_CHAIR},
                      confirm="Record your consultation? It cannot be changed afterwards.", shows_case=True)


def decision_new(request, pk):
    def save(incident, data):
        return services.decision_record(actor=request.user, incident=incident, **data)

    def done_url(incident, decision):
        # A decision to ban is acted on by recording the ban, the head's next step: its form comes next.
        if decision is not None and decision.includes_ban:
            return reverse("sanctions:ban_new", args=[incident.pk])
        return incident.get_absolute_url()

    def extra(incident):
        proposal = services.current_proposal(incident)
        return {"proposal": proposal,
                "consultation": ChairConsultation.objects.filter(proposal=proposal).select_related("chair").last()
                if proposal else None,
                "history": earlier_history_for(request.user, incident), "submit_label": "Record my decision"}

    return _case_form(request, pk, roles={Role.HEAD}, form_class=DecisionForm,
                      template="sanctions/decision_form.html", save=save,
                      success="Your decision is recorded.", heading="Decide the response", extra=extra,
                      stages={Stage.PROPOSED}, done_url=done_url, shows_case=True,
                      confirm="Record this decision? It becomes part of the case record.")


def _get_action_for(user, pk):
    return get_object_or_404(
        DecisionAction.objects.select_related("decision__incident__school").filter(
            decision__incident__school_id__in=readable_school_ids(user)),
        pk=pk,
    )


def action_done(request, pk):
    action = _get_action_for(request.user, pk)
    incident = action.decision.incident
    if not has_role(request.user, incident.school, CASE_LEADERS):
        raise PermissionDenied("Only senior leaders and the head complete actions.")
    form = ActionDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    def save(data):
        return services.action_complete(actor=request.user, action=action, **data)

    if save_through_service(request, form, save, "Action marked done.") is not NOT_SAVED:
        return redirect(incident)
    return render(request, "incidents/_simple_form.html", {
        "incident": incident, "form": form, "heading": f"Mark done: {action.get_kind_display()}",
        "submit_label": "Mark done"})


def case_close(request, pk):
    def save(incident, data):
        services.case_close(actor=request.user, incident=incident, outcome=data["outcome"])

    return _case_form(request, pk, roles={Role.HEAD}, form_class=CloseForm, template="incidents/_simple_form.html",
                      save=save, success="The case is closed.", heading="Close the case",
                      extra=lambda i: {"submit_label": "Close the case"}, confirm="Close this case?")


def case_reopen(request, pk):
    def save(incident, data):
        services.case_reopen(actor=request.user, incident=incident, reason=data["reason"])

    return _case_form(request, pk, roles={Role.HEAD}, form_class=ReopenForm, template="incidents/_simple_form.html",
                      save=save, success="The case is reopened.", heading="Reopen the case",
                      extra=lambda i: {"submit_label": "Reopen the case"})


# The case page's sanctions panels and the user's next action ------------------------


def case_panel_provider(request, incident):
    user, school = request.user, incident.school
    is_head = has_role(user, school, {Role.HEAD})
    is_leader = has_role(user, school, CASE_LEADERS)
    is_chair = has_role(user, school, {Role.CHAIR})
    records = case_records(incident)
    proposals, consultations, decisions, actions = (records.proposals, records.consultations, records.decisions,
                                                    records.actions)
    latest = records.latest_decision
    current = records.current_proposal
    next_actions, missing = [], []
    stage = incident.stage

    def offer(label, name):
        next_actions.append({"label": label, "url": reverse(f"sanctions:{name}", args=[incident.pk])})

    # Recording the first statement starts information gathering and recording the conversation moves the
    # case on to it (incidents.workflow, implied_by): the list names records, not the moves they make.
    if stage == Stage.REPORTED:
        missing.append("A statement from someone involved (recording it starts information gathering).")
    elif stage == Stage.GATHERING:
        # The case page prefetches statements and conversations: these read no more rows.
        if not incident.statements.all():
            missing.append("At least one statement.")
        if not incident.conversations.all():
            missing.append("The conversation with the parent, or why it could not happen "
                           "(recording it moves the case on).")
        elif incident.statements.all():
            # Both records, yet still gathering: recorded by someone who could not move the case.
            missing.append("A senior leader moves it on to the parent conversation.")
    elif stage == Stage.CONVERSATION:
        if not incident.conversations.all():
            missing.append("The conversation with the parent, or why it could not happen.")
        else:
            missing.append("A proposed response.")
            if is_leader:
                offer("Propose a response", "proposal_new")
    elif stage == Stage.AWAITING_CHAIR:
        missing.append("The Chair of the Local Academy Board's consultation on the proposed ban.")
        if is_chair:
            offer("Record the consultation", "consultation_new")
    elif stage == Stage.PROPOSED:
        if current is None:
            missing.append("A revised proposal (the last one was rejected).")
            if is_leader:
                offer("Propose a revised response", "proposal_new")
        else:
            missing.append("The head's decision.")
            if is_head:
                offer("Decide the response", "decision_new")
            if is_leader:
                offer("Revise the proposal", "proposal_new")
    elif stage == Stage.DECIDED:
        open_ = [a for a in actions if not a.done and a.decision_id == (latest.pk if latest else None)]
        if open_:
            missing.append("Actions to complete: " + "; ".join(a.get_kind_display() for a in open_))
        elif is_head:
            offer("Close the case", "case_close")
    elif stage == Stage.CLOSED and is_head:
        offer("Reopen the case", "case_reopen")
    panel = {
        "incident": incident, "proposals": proposals, "consultations": consultations, "decisions": decisions,
        "actions": actions, "latest_decision": latest, "can_lead": is_leader and stage == Stage.DECIDED,
    }
    return {"panels": [{"template": "sanctions/_case_panel.html", "context": panel}],
            "next_actions": next_actions, "missing": missing}
