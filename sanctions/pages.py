"""Page helpers shared by the sanctions capabilities (responses, letters, bans)."""

from django.shortcuts import redirect, render

from incidents.views import NOT_SAVED, save_through_service


def form_page(request, *, incident, form, save, success, heading, submit_label, done_url,
              confirm="", multipart=False, template="incidents/_simple_form.html", extra=None):
    """Save a bound form through its service and go on to `done_url`, or show the form again with what was typed."""
    result = save_through_service(request, form, save, success)
    if result is not NOT_SAVED:
        return redirect(done_url(result) if callable(done_url) else done_url)
    context = {"incident": incident, "form": form, "heading": heading, "submit_label": submit_label,
               "confirm": confirm, "multipart": multipart, **(extra or {})}
    return render(request, template, context)
