"""Checks made on every signed-in request, before the view runs.

- SessionLimitsMiddleware: a session ends after SESSION_IDLE_TIMEOUT seconds without a
  request, and SESSION_COOKIE_AGE seconds after signing in whatever the activity. Checked on
  the server (a page left open in a browser keeps no session alive by itself).
- SecondFactorMiddleware: a user who has a second factor reaches nothing but the code page
  until the session is verified; a user who must have one and has not is sent to set it up.
- PasswordChangeMiddleware: a user whose password was set by someone else (an administrator,
  an import) reaches nothing but the password change form until they have chosen their own.

Pages that need no login (the login page, /track/, /healthz, the calendar feed) are left
alone, and so is signing out. None of them costs a query for a user without a second factor:
what they read is in the session or on the user already loaded (User.two_factor_enabled is
kept by the two_factor_* services).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.signin import twofactor

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"
# The last-seen time is written at most this often (a session write is a query).
LAST_SEEN_RESOLUTION = 60

ALWAYS_ALLOWED = {"logout", "set_language"}


@receiver(user_logged_in)
def _remember_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def _public(view_func) -> bool:
    return getattr(view_func, "login_required", True) is False


def _to(name: str, request):
    """Redirect to `name`, coming back to the requested page afterwards."""
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return redirect(reverse(name) + (f"?{query}" if query else ""))


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = int(time.time())
        signed_in = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN_AT, now)
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            message = _(
                "You were signed out after %(minutes)d minutes without activity. Please sign "
                "in again."
            ) % {"minutes": minutes}
        elif now - signed_in > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            message = _(
                "You were signed out %(hours)d hours after signing in. Please sign in again."
            ) % {"hours": hours}
        else:
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
            return
        # Signed out here; the login-required check that follows sends them to the login page.
        logout(request)
        messages.info(request, message)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or _public(view_func) or user.is_verified():
            return None
        name = request.resolver_match.view_name
        if user.two_factor_enabled:
            if name in ALWAYS_ALLOWED | {"signin:two-factor-verify"}:
                return None
            return _to("signin:two-factor-verify", request)
        if twofactor.required_for(user):
            if name in ALWAYS_ALLOWED | {"signin:two-factor-setup"}:
                return None
            return _to("signin:two-factor-setup", request)
        return None


class PasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or _public(view_func) or not user.must_change_password:
            return None
        if request.resolver_match.view_name in ALWAYS_ALLOWED | {"password_change"}:
            return None
        return redirect("password_change")
