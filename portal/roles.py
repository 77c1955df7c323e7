"""Roles and what each reaches, in one table (the issue's access matrix).

Access levels are ordered: a role with EDIT also has READ and STATS. The organisation
subtree then narrows what the role reaches (portal/scoping.py).
"""

from enum import IntEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Department staff")
    SECRETARY = "secretary", _("Branch secretary")
    HELPER = "helper", _("Assistance official")
    SUPERVISOR = "supervisor", _("Complaint-handling office")
    LEADER = "leader", _("County leadership")


class Area(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots Party building")
    CADRES = "cadres", _("Cadres")
    POVERTY = "poverty", _("Poverty alleviation")
    SUPERVISION = "supervision", _("Supervision")


class Access(IntEnum):
    NONE = 0
    STATS = 1  # aggregate statistics only, never a single record
    READ = 2
    EDIT = 3


ACCESS: dict[str, dict[str, Access]] = {
    Role.ADMIN: dict.fromkeys(Area, Access.EDIT),
    Role.STAFF: {
        Area.GRASSROOTS: Access.EDIT,
        Area.CADRES: Access.EDIT,
        Area.POVERTY: Access.EDIT,
        Area.SUPERVISION: Access.STATS,
    },
    Role.SECRETARY: {Area.GRASSROOTS: Access.EDIT},
    # A helper edits only the households paired with them (poverty scoping) and logs visits.
    Role.HELPER: {Area.POVERTY: Access.EDIT},
    # The supervision office reads cadre records for the four-musts check.
    Role.SUPERVISOR: {Area.CADRES: Access.READ, Area.SUPERVISION: Access.EDIT},
    Role.LEADER: {
        Area.GRASSROOTS: Access.READ,
        Area.CADRES: Access.READ,
        Area.POVERTY: Access.READ,
        Area.SUPERVISION: Access.STATS,
    },
}


def access(user, area: str) -> Access:
    """What `user` may do in `area`. Superusers are administrators whatever their role."""
    if not user.is_authenticated or not user.is_active:
        return Access.NONE
    role = Role.ADMIN if user.is_superuser else user.role
    return ACCESS.get(role, {}).get(area, Access.NONE)


def can(user, area: str, level: Access) -> bool:
    return access(user, area) >= level


# Roles that may see an ID number in full (each time recorded in RevealLog); the others see
# it masked. The apps' reveal checks read this, and so does the two-factor requirement.
REVEAL_ID_NUMBER_ROLES = (Role.ADMIN, Role.STAFF)


def may_reveal_id_numbers(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in REVEAL_ID_NUMBER_ROLES
