"""A user's own reminder settings: e-mail preferences and the calendar feed's secret link."""

from django.db import transaction

from portal.models import User
from portal.models.users import new_calendar_token


@transaction.atomic
def user_preferences_update(*, user: User, email_reminders: bool, email_mode: str) -> User:
    user.email_reminders = email_reminders
    user.email_mode = email_mode
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["email_reminders", "email_mode"])
    return user


@transaction.atomic
def calendar_token_renew(*, user: User) -> User:
    """Give the user a new secret feed link; the old link stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user


@transaction.atomic
def calendar_tokens_revoke(*, users) -> int:
    """A new secret feed link for each of `users` (a queryset); every old link stops working
    at once. Written in batches: a county's few thousand users in a few UPDATE statements."""
    count = 0
    batch = []
    for user in users.only("pk", "calendar_token").iterator(chunk_size=500):
        user.calendar_token = new_calendar_token()
        batch.append(user)
        if len(batch) == 500:
            count += User.objects.bulk_update(batch, ["calendar_token"])
            batch = []
    if batch:
        count += User.objects.bulk_update(batch, ["calendar_token"])
    return count
