"""Writes to the shared core. Every write goes through a function here (STYLE.md rule 2)."""

import uuid

import pghistory
from axes.utils import reset as axes_reset
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from portal.models import Organization, RevealLog, User


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
) -> Organization:
    organization.name = name
    organization.category = category
    organization.is_active = is_active
    if code is not None:
        organization.code = code.strip()
    organization.full_clean()
    organization.save(update_fields=["name", "category", "is_active", "code", "updated_at"])
    return organization


@transaction.atomic
def organization_move(*, organization: Organization, new_parent: Organization) -> Organization:
    """Re-hang a subtree: one UPDATE rewrites the prefix of every row beneath it."""
    if new_parent.is_within(organization):
        raise ValidationError(_("An organisation cannot be moved under itself or its own subtree."))
    old_prefix = organization.path
    new_prefix = new_parent.path + _segment(organization.pk)
    depth_change = new_parent.depth + 1 - organization.depth
    Organization.objects.filter(pk=organization.pk).update(parent=new_parent)
    Organization.objects.filter(path__startswith=old_prefix).update(
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
