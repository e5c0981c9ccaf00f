"""Saving a record so that its history row says who changed it and why."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from conduct.constraints import validate_constraints


def history_names(instance, actor) -> None:
    """Make simple-history's next row for `instance` name `actor` (when signed in)."""
    # The middleware names the user only inside a request; commands, scripts and the demo name theirs here.
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def save_with_history(instance, reason: str | None = None, *, actor=None):
    """full_clean, then save; simple-history's row names `actor` and `reason`, inside a request or not."""
    full_clean(instance)
    if reason:
        instance._change_reason = reason
    history_names(instance, actor)
    instance.save()
    return instance


def full_clean(instance) -> None:
    """Model.full_clean, but a foreign key whose record is on the instance (fetched, or saved just now) is not
    looked up again to see that it exists: a query per key on every save, a fifth of a case's queries.
    Its uniqueness and the model's constraints are checked as ever (the simple check constraints in Python,
    conduct.constraints); the database's own key checks remain."""
    errors = {}
    for check in (lambda: instance.clean_fields(exclude=_keys_on(instance)), instance.clean):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    # As full_clean does: uniqueness and constraints only for the fields that passed.
    for check in (instance.validate_unique, lambda exclude: validate_constraints(instance, exclude)):
        try:
            check(exclude={name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _keys_on(instance) -> set[str]:
    """The instance's foreign keys whose related record it holds, saved, with the same key value."""
    names = set()
    for field in instance._meta.concrete_fields:
        if not field.is_relation or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if related is not None and not related._state.adding and (
                getattr(related, field.target_field.attname) == getattr(instance, field.attname)):
            names.add(field.name)
    return names
