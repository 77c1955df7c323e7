"""The sign-in pages. Django's views, with the portal's rules added where they apply, and the
second-factor pages (portal/signin/twofactor.py says who must have one)."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal import params, services
from portal.clientip import client_ip
from portal.ratelimits import Limit
from portal.signin import twofactor
from portal.signin.forms import CodeForm, EnrolForm

HOUR = 3600
# The key of an authenticator being set up, until its first code is right.
PENDING_KEY = "portal_2fa_pending_key"


def _next(request, default: str = "") -> str:
    """The page to go on to, if it is one of ours (a path: "abc" is no page, NUL no URL)."""
    return params.next_url(request, default or reverse(settings.LOGIN_REDIRECT_URL))


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class LoginView(auth_views.LoginView):
    """The password step. A user with a second factor goes on to the code page; one who must
    have it and has not goes on to set it up; everybody else is signed in."""

    def get_success_url(self):
        target = self.get_redirect_url() or reverse(settings.LOGIN_REDIRECT_URL)
        user = self.request.user
        if user.two_factor_enabled:
            return _with_next("signin:two-factor-verify", target)
        if twofactor.required_for(user):
            return _with_next("signin:two-factor-setup", target)
        return target


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own new password, through the service: it clears "must change password";
    this session stays signed in, every other session of the user ends (Django checks each
    session against the password it was signed in with)."""

    def form_valid(self, form):
        services.user_password_set(
            user=form.user, password=form.cleaned_data["new_password1"], chosen_by_user=True
        )
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The new password from a reset link is the user's own choice too."""

    def form_valid(self, form):
        services.user_password_set(
            user=form.user, password=form.cleaned_data["new_password1"], chosen_by_user=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


def _reset_limits() -> tuple[Limit, Limit]:
    # Built per request, so a changed setting (or a test's override) takes effect at once.
    return (
        Limit("password-reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, HOUR),
        Limit("password-reset-email", settings.PASSWORD_RESET_LIMIT_PER_EMAIL, HOUR),
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address and per e-mail address, so that the
    form can be used neither to flood a mailbox nor to probe many addresses. The limit answers
    the same whether or not the address belongs to a user."""

    def form_valid(self, form):
        by_address, by_email = _reset_limits()
        counts = (
            by_address.hit(client_ip(self.request)),
            by_email.hit(form.cleaned_data["email"].strip().lower()),
        )
        if by_address.exceeded(counts[0]) or by_email.exceeded(counts[1]):
            form.add_error(
                None,
                _(
                    "Too many password-reset requests. Wait an hour before asking again, or "
                    "ask an administrator to set a new password for you."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


# --- the second factor ---------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("code")
def two_factor_verify(request):
    """The code step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    target = _next(request)
    if user.is_verified():
        return redirect(target)
    if not user.two_factor_enabled:
        if twofactor.required_for(user):
            return redirect(_with_next("signin:two-factor-setup", target))
        return redirect(target)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            if device.persistent_id.startswith("otp_static."):
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new ones "
                        "on the two-factor page if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(target)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": target})


@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request):
    """Enrolment: scan the QR code (or type the key), confirm with a code; the recovery codes
    are then shown once. The key waits in the (server-side) session until the code is right,
    so opening the page changes nothing. A user who already has a second factor replaces it
    here (a new phone), which needs a verified session (portal/signin/middleware.py)."""
    user = request.user
    target = _next(request, default=reverse("signin:two-factor"))
    key = request.session.get(PENDING_KEY)
    if key is None:
        key = request.session[PENDING_KEY] = twofactor.new_key()
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                user=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_KEY]
            request.session.cycle_key()
            django_otp.login(request, device)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": target, "enrolled": True},
            )
    device = twofactor.enrolment_device(user, key)
    context = {
        "form": form,
        "next": target,
        "qr_svg": twofactor.qr_code_svg(device),
        "secret": twofactor.secret_for_typing(device),
        "required": twofactor.required_for(user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
def two_factor(request):
    """The user's second factor: on or off, recovery codes left, and what they may do."""
    user = request.user
    context = {
        "enabled": user.two_factor_enabled,
        "required": twofactor.required_for(user),
        "codes_left": twofactor.recovery_codes_left(user) if user.two_factor_enabled else 0,
    }
    return render(request, "registration/two_factor.html", context)


@never_cache
@require_POST
def two_factor_recovery_codes(request):
    try:
        codes = services.two_factor_recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("signin:two-factor")
    return render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "next": reverse("signin:two-factor")},
    )


@require_POST
def two_factor_disable(request):
    try:
        services.two_factor_disable(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("signin:two-factor")
