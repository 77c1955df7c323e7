"""Roles and what each reaches, in one table (the issue's access matrix).

Access levels are ordered: a role with EDIT also has READ and STATS. The organisation
subtree then narrows what the role reaches (portal/scoping.py).

Beside the areas, CAPABILITIES says which roles may do the few things an area's level does
not decide (see an ID number in full, reach every household rather than one's own
pairings). Views check both with portal.access.require_access / AreaAccessMixin, services
and querysets with may(); tests/portal/test_access_matrix.py covers both.
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


class Capability(models.TextChoices):
    REVEAL_ID_NUMBER = "reveal_id_number", _("See an ID number in full (each reveal recorded)")
    REVEAL_REPORTER = "reveal_reporter", _("See who reported a matter (each reveal recorded)")
    # Without it (a helper), poverty records are reached only through one's own pairings,
    # and the department's poverty workflows (villages, pairing, exit) are out of reach.
    ALL_HOUSEHOLDS = "all_households", _("Reach every household of the subtree")


CAPABILITIES: dict[str, frozenset[str]] = {
    Capability.REVEAL_ID_NUMBER: frozenset({Role.ADMIN, Role.STAFF}),
    Capability.REVEAL_REPORTER: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Capability.ALL_HOUSEHOLDS: frozenset({Role.ADMIN, Role.STAFF, Role.LEADER}),
}


def may(user, capability: str) -> bool:
    """Whether `user` has `capability`. Superusers are administrators whatever their role."""
    if not user.is_authenticated or not user.is_active:
        return False
    role = Role.ADMIN if user.is_superuser else user.role
    return role in CAPABILITIES[capability]
