"""notification_preference_set: the actor's own choice, kept in its history; nobody else's."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from conduct.models import NotificationFrequency, NotificationPreference
from conduct.services import notification_preference_set


@pytest.mark.parametrize("persona", ["office", "senior", "head", "chair", "trust", "other_head"])
def test_any_signed_in_member_of_staff_sets_their_own(personas, persona):
    notification_preference_set(actor=personas[persona], frequency=NotificationFrequency.DAILY)
    assert list(NotificationPreference.objects.values_list("user__username", "frequency")) == [
        (persona, NotificationFrequency.DAILY)]


def test_the_change_is_in_the_history_with_who_and_why(personas):
    head = personas["head"]
    notification_preference_set(actor=head, frequency=NotificationFrequency.DAILY)
    notification_preference_set(actor=head, frequency=NotificationFrequency.IMMEDIATE)
    rows = list(NotificationPreference.history.order_by("history_id").values_list(
        "frequency", "history_user", "history_change_reason"))
    assert rows == [(NotificationFrequency.DAILY, head.pk, "Notification preference set"),
                    (NotificationFrequency.IMMEDIATE, head.pk, "Notification preference set")]
    assert NotificationPreference.objects.get(user=head).frequency == NotificationFrequency.IMMEDIATE


def test_saving_the_same_choice_again_writes_no_history(personas):
    notification_preference_set(actor=personas["head"], frequency=NotificationFrequency.DAILY)
    notification_preference_set(actor=personas["head"], frequency=NotificationFrequency.DAILY)
    assert NotificationPreference.history.count() == 1


@pytest.mark.parametrize("frequency", ["weekly", "", "DAILY", "x" * 50])
def test_an_unknown_choice_is_refused(personas, frequency):
    with pytest.raises(ValidationError):
        notification_preference_set(actor=personas["head"], frequency=frequency)
    assert not NotificationPreference.objects.exists()


def test_the_anonymous_and_the_deactivated_may_not(personas):
    for actor in (AnonymousUser(), personas["inactive"]):
        with pytest.raises(PermissionDenied):
            notification_preference_set(actor=actor, frequency=NotificationFrequency.DAILY)
    assert not NotificationPreference.objects.exists()


def test_the_database_refuses_an_unknown_choice_too(personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=personas["head"], frequency="weekly")
