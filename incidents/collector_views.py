"""The code of conduct given to a person, and who collects their child (issue 26): each school records its own.

Office staff, senior leaders and the head of a school that knows the person record and correct these; the
Chair and trust-wide readers see them on the person page only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from incidents import services
from incidents.collector_forms import CodeGivenForm, CollectorForm
from incidents.selectors import get_code_given_for, get_collector_for, get_person_for, person_writable_schools
from incidents.views import NOT_SAVED, save_through_service

WHO_MAY_RECORD = "Only office staff, senior leaders and the head of a school that knows this person may record this."


def _writer_school(request, person):
    """The school whose record the user writes (`?school=` when they work at several); 403 for anyone else."""
    schools = person_writable_schools(request.user, person)
    if not schools:
        raise PermissionDenied(WHO_MAY_RECORD)
    return {str(s.pk): s for s in schools}.get(request.GET.get("school", ""), schools[0]), schools


def _require_writer(user, record) -> None:
    if not any(s.pk == record.school_id for s in person_writable_schools(user, record.person)):
        raise PermissionDenied(WHO_MAY_RECORD)


def _page(request, person, form, heading, **extra):
    return render(request, "incidents/person_record_form.html",
                  {"person": person, "form": form, "heading": heading, **extra})


def code_given_new(request, pk):
    person = get_person_for(request.user, pk)
    school, schools = _writer_school(request, person)
    form = CodeGivenForm(request.POST or None)

    def save(data):
        return services.code_given_record(actor=request.user, person=person, school=school, **data)

    if save_through_service(request, form, save, "Recorded: the code of conduct given.") is not NOT_SAVED:
        return redirect(person)
    return _page(request, person, form, "Record the code of conduct given", school=school, schools=schools,
                 intro=f"When and how {school.name} gave {person.full_name} the parent code of conduct.")


@require_POST
def code_given_remove(request, pk):
    record = get_code_given_for(request.user, pk)
    _require_writer(request.user, record)
    services.code_given_remove(actor=request.user, record=record)
    messages.success(request, "Removed. The record's history keeps what it said.")
    return redirect(record.person)


def collector_new(request, pk):
    person = get_person_for(request.user, pk)
    school, schools = _writer_school(request, person)
    form = CollectorForm(request.POST or None)

    def save(data):
        return services.collector_add(actor=request.user, person=person, school=school, **data)

    if save_through_service(request, form, save, lambda c: f"{c.name} added.") is not NOT_SAVED:
        return redirect(person)
    return _page(request, person, form, "Add someone who collects the child", school=school, schools=schools,
                 intro=f"Someone {person.full_name} named as collecting their child from {school.name}.")


def collector_edit(request, pk):
    collector = get_collector_for(request.user, pk)
    _require_writer(request.user, collector)
    person = collector.person
    form = CollectorForm(request.POST or None, initial={
        "name": collector.name, "relationship": collector.relationship, "told_on": collector.told_on})

    def save(data):
        return services.collector_update(actor=request.user, collector=collector, **data)

    if save_through_service(request, form, save, "Saved.") is not NOT_SAVED:
        return redirect(person)
    return _page(request, person, form, f"Edit {collector.name}", school=collector.school, collector=collector)


@require_POST
def collector_remove(request, pk):
    collector = get_collector_for(request.user, pk)
    _require_writer(request.user, collector)
    services.collector_remove(actor=request.user, collector=collector)
    messages.success(request, f"{collector.name} removed. The record's history keeps them.")
    return redirect(collector.person)
