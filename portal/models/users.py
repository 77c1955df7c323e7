import secrets

import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.roles import Role


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


# Account security events an administrator causes (unlocking a locked-out sign-in, resetting
# a second factor) are written to the audit trail by the services, with who and from where
# (the request's pghistory context). Only the username is copied: never a password hash.
@pghistory.track(
    pghistory.ManualEvent("signin_unlocked"),
    pghistory.ManualEvent("two_factor_reset"),
    fields=["username"],
    model_name="UserSecurityEvent",
    obj_field=pghistory.ObjForeignKey(related_name="security_events"),
)
class User(AbstractUser):
    """A portal user: one role and one organisation, which together decide what they see."""

    class EmailMode(models.TextChoices):
        DIGEST = "digest", _("One digest a day")
        IMMEDIATE = "immediate", _("Immediately")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_reminders = models.BooleanField(_("e-mail reminders"), default=True)
    email_mode = models.CharField(
        _("e-mail delivery"), max_length=12, choices=EmailMode.choices, default=EmailMode.DIGEST
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when someone else chose the password (an administrator, an import): the user "
            "must choose their own at the next sign-in."
        ),
    )
    # Kept by the two_factor_* services, so that a page need not look the devices up.
    two_factor_enabled = models.BooleanField(_("two-factor sign-in"), default=False, editable=False)
    calendar_token = models.CharField(
        _("calendar feed token"),
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
