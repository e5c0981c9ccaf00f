"""The signed-in member of staff's own choice: an email each time a case needs them, or a daily digest.

Any signed-in user may set their own (the login middleware refuses everyone
else); there is no way to name another user, so nobody sets another's.
Imports neither incidents nor sanctions.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from conduct import services
from conduct.models import NotificationFrequency, NotificationPreference


class NotificationPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How should Conduct tell you that a case needs you?",
        choices=NotificationFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Each email gives only the case reference and a link, never names. You are never emailed "
                  "about something you have just done yourself. The daily digest is sent once each morning.",
    )


def current_frequency(user) -> str:
    """The user's choice, or the default (an email each time) when they have not made one."""
    chosen = NotificationPreference.objects.filter(user=user).values_list("frequency", flat=True).first()
    return chosen or NotificationFrequency.IMMEDIATE


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.notification_preference_set(actor=request.user, frequency=form.cleaned_data["frequency"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your notification setting is saved.")
                return redirect("notification_settings")
    else:
        form = NotificationPreferenceForm(initial={"frequency": current_frequency(request.user)})
    return render(request, "conduct/notification_settings.html", {"form": form})
