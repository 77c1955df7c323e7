"""The sign-in pages. Django's views, with the portal's rules added where they apply."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from portal.clientip import client_ip
from portal.ratelimits import Limit

HOUR = 3600


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
