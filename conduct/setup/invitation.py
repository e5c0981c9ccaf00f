"""The page an invitation's link opens: the new member of staff chooses a password.

Django's own set-password view, with the invitation's token generator: the link
is swapped for a session marker on the first visit (so the token never leaks in
a Referer header), works once, and not after INVITATION_DAYS.
"""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import reverse_lazy

from conduct.audit import audit_log
from conduct.invitations import INVITATION_DAYS, invitation_token_generator


class InvitationAcceptView(PasswordResetConfirmView):
    token_generator = invitation_token_generator
    template_name = "conduct/setup/invitation_accept.html"
    success_url = reverse_lazy("login")
    title = "Choose your password"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"days": INVITATION_DAYS}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(self.user, "invitation_accepted")
        messages.success(self.request, f"Your password is set. Log in with your username, {self.user.username}.")
        return response


invitation_accept = InvitationAcceptView.as_view()
