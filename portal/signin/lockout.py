"""Sign-in lockout (django-axes): too many failed sign-ins for one username, or from one
address, within the cool-off, and further sign-ins are refused until it has passed or an
administrator unlocks the account (Django admin: users → "Unlock sign-in", or delete the
access attempts).

Axes applies one limit to the largest count among its lockout parameters; the portal has two
limits (settings.LOGIN_FAILURE_LIMIT per username, LOGIN_FAILURE_LIMIT_PER_ADDRESS per
address). The handler below reports the failures so that the one limit axes compares with
(the per-username one) is reached exactly when either count reaches its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import params

# AccessAttempt.username is a varchar(255). A longer name typed into a sign-in form (no user has
# one: usernames are at most 150 characters) failed axes' insert with a database error, a 500.
USERNAME_COLUMN = 255


def attempted_username(request, credentials=None) -> str | None:
    """The username a sign-in tried (AXES_USERNAME_CALLABLE), cut to the column that records
    it; every count and lookup goes through here, so they agree on the cut."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return value[:USERNAME_COLUMN] if isinstance(value, str) else value


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # One queryset per lockout parameter, in AXES_LOCKOUT_PARAMETERS' order.
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # The address's count, shifted so that its own limit lands on the username's limit.
        shift = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS - settings.LOGIN_FAILURE_LIMIT
        return max(by_username, by_address - shift)


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins. Signing in is paused for %(minutes)d minutes; try again "
        "later, or ask an administrator to unlock your account."
    ) % {"minutes": settings.LOGIN_COOLOFF_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lockout message, answered 429 (AXES_LOCKOUT_CALLABLE).

    The form is unbound: validating it again would count one more failed sign-in."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")})
    context = {
        "form": form,
        "locked_out": lockout_message(),
        "next": params.next_url(request, ""),
    }
    return render(request, "registration/login.html", context, status=429)
