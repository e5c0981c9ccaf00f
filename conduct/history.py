"""Saving a record so that its history row says who changed it and why."""


def history_names(instance, actor) -> None:
    """Make simple-history's next row for `instance` name `actor` (when signed in)."""
    # The middleware names the user only inside a request; commands, scripts and the demo name theirs here.
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def save_with_history(instance, reason: str | None = None, *, actor=None):
    """full_clean, then save; simple-history's row names `actor` and `reason`, inside a request or not."""
    instance.full_clean()
    if reason:
        instance._change_reason = reason
    history_names(instance, actor)
    instance.save()
    return instance
