"""Writes to the shared core. Every write goes through a function here (STYLE.md rule 2)."""

import datetime
import uuid
from collections.abc import Iterable

import pghistory
from axes.utils import reset as axes_reset
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Organization, RevealLog, User
from portal.signin import twofactor


def model_update(*, instance, data: dict, fields: Iterable[str], check=None):
    """The one shape of an update service: set `data` on `instance` (a key outside `fields`
    is a programming error, not user input), run the service's own rule `check(instance)`,
    validate the row (full_clean) and save only the columns set."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"unknown {instance._meta.model_name} fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)
    if check is not None:
        check(instance)
    instance.full_clean()
    columns = {instance._meta.get_field(name).name for name in data}
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        columns.add("updated_at")
    instance.save(update_fields=sorted(columns))
    return instance


# organization_update's "leave this field as it is" (None is a value: "not recorded").
KEEP = object()


def _segment(pk: int) -> str:
    return f"{pk:06d}/"


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    category: str = Organization.Category.OTHER,
    parent: Organization | None = None,
    code: str = "",
    founded_on: datetime.date | None = None,
    dissolved_on: datetime.date | None = None,
) -> Organization:
    if parent is None and Organization.objects.filter(parent__isnull=True).exists():
        raise ValidationError(_("The tree already has a root; choose a parent organisation."))
    # The path needs the primary key, so the row is inserted with a placeholder first.
    org = Organization(
        name=name,
        kind=kind,
        category=category,
        parent=parent,
        code=code.strip(),
        founded_on=founded_on,
        dissolved_on=dissolved_on,
        path=f"~{uuid.uuid4().hex}",
        depth=0,
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + _segment(org.pk)
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    return org


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    name: str,
    category: str,
    is_active: bool,
    code: str | None = None,
    founded_on: datetime.date | None | object = KEEP,
    dissolved_on: datetime.date | None | object = KEEP,
) -> Organization:
    data = {"name": name, "category": category, "is_active": is_active}
    if code is not None:
        data["code"] = code.strip()
    for field, value in (("founded_on", founded_on), ("dissolved_on", dissolved_on)):
        if value is not KEEP:
            data[field] = value
    return model_update(instance=organization, data=data, fields=data)


@transaction.atomic
def organization_move(*, organization: Organization, new_parent: Organization) -> Organization:
    """Re-hang a subtree: one UPDATE rewrites the prefix of every row beneath it."""
    if new_parent.is_within(organization):
        raise ValidationError(_("An organisation cannot be moved under itself or its own subtree."))
    old_prefix = organization.path
    new_prefix = new_parent.path + _segment(organization.pk)
    depth_change = new_parent.depth + 1 - organization.depth
    Organization.objects.filter(pk=organization.pk).update(parent=new_parent)
    Organization.objects.subtree_of(organization).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_change,
    )
    organization.refresh_from_db()
    return organization


def reveal_record(*, user, obj, field: str, ip_address: str | None = None) -> str:
    """Return the full value of a masked field and record that `user` saw it.

    The caller has already decided that `user` may reveal it (app rule); this function only
    records the reveal, in the same transaction as the read.
    """
    RevealLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        field=field,
        ip_address=ip_address,
    )
    return getattr(obj, field)


@transaction.atomic
def user_signin_unlock(*, user: User) -> int:
    """Lift a sign-in lockout of `user` (django-axes) before its cool-off ends; recorded in
    the audit trail with who did it and from where. The number of cleared attempt rows."""
    cleared = axes_reset(username=user.get_username())
    pghistory.create_event(user, label="signin_unlocked")
    return cleared


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    organization: Organization | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    must_change_password: bool = True,
) -> User:
    """A new user (the admin's add form, imports, the demo). Whoever set `password` knows
    it, so by default the user must choose their own at the first sign-in. Without a
    password the account cannot sign in until one is set (or reset by e-mail)."""
    user = User(
        username=username,
        role=role,
        organization=organization,
        full_name=full_name,
        email=email,
        phone=phone,
        is_staff=is_staff,
        is_superuser=is_superuser,
        must_change_password=must_change_password,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, chosen_by_user: bool) -> User:
    """Set `user`'s password. Their own choice clears "must change password"; one set by
    someone else (an administrator) sets it. Every session signed in with the old password
    ends at its next request (Django compares each session with the password's hash)."""
    user.set_password(password)
    user.must_change_password = not chosen_by_user
    user.save(update_fields=["password", "must_change_password"])
    return user


# --- Two-factor sign-in (portal/signin/twofactor.py) ------------------------------------


def _two_factor_devices(user: User):
    return (TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=twofactor.RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(twofactor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn on the authenticator set up from `key` (hex; shown to the user as a QR code)
    once it shows the right code. It replaces any earlier one (a new phone), and the
    recovery codes are made anew. Returns the device and the recovery codes, which are shown
    once."""
    device = TOTPDevice(user=user, name=twofactor.AUTHENTICATOR, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if not (code.isdigit() and totp.verify(int(code), tolerance=device.tolerance)):
        raise ValidationError(
            _(
                "That code is not right. Check that the app was set up from the QR code on "
                "this page and that your phone's clock is right, then type the code it shows "
                "now."
            )
        )
    # The code just used cannot be used again to sign in (django-otp's replay guard).
    device.last_t = totp.t()
    TOTPDevice.objects.filter(user=user).delete()
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(user)
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    return device, codes


def two_factor_verify(*, user: User, code: str):
    """The device that accepts `code`: the authenticator for a 6-digit code, otherwise the
    recovery codes (each works once). A wrong code counts against the device, and django-otp
    refuses further tries for a growing delay; that failure is kept, not rolled back."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        devices = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, model)]
        device = devices[0] if devices else None
        allowed = device is not None and device.verify_is_allowed()[0]
        accepted = allowed and device.verify_token(code)
    if accepted:
        return device
    if device is not None and not allowed:
        raise ValidationError(
            _("Too many wrong codes in a row. Wait a minute, then type the code shown now.")
        )
    raise ValidationError(
        _(
            "That code is not right. Type the 6-digit code your authenticator app shows now, "
            "or one of your recovery codes."
        )
    )


@transaction.atomic
def two_factor_recovery_codes_renew(*, user: User) -> list[str]:
    if not user.two_factor_enabled:
        raise ValidationError(_("Set up two-factor sign-in first."))
    return _new_recovery_codes(user)


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """An administrator removes a user's second factor (a lost phone); recorded in the audit
    trail. Sessions it verified stop being verified, and where it is required the user sets
    it up again after the password."""
    for devices in _two_factor_devices(user):
        devices.delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled"])
    pghistory.create_event(user, label="two_factor_reset")


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """The user turns their own optional second factor off."""
    if twofactor.required_for(user):
        raise ValidationError(
            _("Your role reaches personal data: two-factor sign-in cannot be turned off.")
        )
    for devices in _two_factor_devices(user):
        devices.delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled"])


def reveal_many_record(
    *, user, obj, field: str, count: int, ip_address: str | None = None
) -> RevealLog:
    """Record that `user` was shown `field` in full for `count` records at once, by `obj`
    (an export): one row per export, not one per record. The caller checked the right."""
    return RevealLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        field=field,
        count=count,
        ip_address=ip_address,
    )
