"""Two-factor sign-in: who must have it, and reading a user's second factor (django-otp).

A user's second factor is an authenticator app (one confirmed TOTP device) plus recovery
codes (one static device whose codes each work once). Writes are services in
portal/services.py (`two_factor_*`).

Who must: administrators (and anyone who reaches Django admin), the supervision office, and
every role that may reveal ID numbers. Whether it is enforced at all is
settings.REQUIRE_2FA: on by default in production, off in development unless
REQUIRE_2FA=true, so the demo county stays one sign-in away. Everybody else may enrol from
their preferences page, and is then asked for a code at each sign-in too.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from portal.roles import Capability, Role, may

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"
RECOVERY_CODES = 10


def required_for(user) -> bool:
    if not settings.REQUIRE_2FA:
        return False
    return (
        user.is_superuser
        or user.is_staff
        or user.role in (Role.ADMIN, Role.SUPERVISOR)
        or may(user, Capability.REVEAL_ID_NUMBER)
    )


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def new_key() -> str:
    return default_key()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return device.token_set.count() if device else 0


def enrolment_device(user, key: str) -> TOTPDevice:
    """The authenticator being set up, not saved until its first code is right."""
    return TOTPDevice(user=user, name=AUTHENTICATOR, key=key, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as an inline SVG element, drawn here: the key never leaves the
    portal for a QR service."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=2, title="QR", dark="#000", light="#fff")
