"""The one write a provider sign-in makes: linking the provider's account to the Conduct account it matched."""

from django.db import transaction

from conduct.audit import audit_log
from conduct.history import save_with_history


def is_unaccepted_invitation(user) -> bool:
    """Invited and never signed in: no password chosen, no sign-in yet (the set-up pages' "Invited")."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def provider_account_link(*, user, account, provider_name: str) -> None:
    """Save allauth's SocialAccount (provider id and subject) for `user`, matched by email.

    The first sign-in through a provider accepts an open invitation: the account's history says
    so, and the set-password link dies with the login (it hashes the last login).
    """
    account.user = user
    account.full_clean(exclude=["user"])
    account.save()
    invitation = is_unaccepted_invitation(user)
    reason = f"Invitation accepted: signed in with {provider_name}" if invitation else f"Signed in with {provider_name}"
    save_with_history(user, reason=reason, actor=user)
    audit_log(user, "invitation_accepted" if invitation else "sso_account_linked", provider=account.provider)
