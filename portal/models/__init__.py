"""The shared core's models: the organisation tree, users, reveal log, calendar overrides.

The reminder engine's models live in portal/models/reminders.py.
"""

from .base import TimeStampedModel
from .calendar import CalendarOverride
from .exports import ExportJob
from .organizations import Organization, OrganizationQuerySet
from .reveals import RevealLog
from .rules import SingletonRules
from .submissions import Submission
from .users import User

# Registered here so that Django counts it among the portal app's models.
from portal.exchange.importing.models import ImportJob  # noqa: E402  (isort: skip)

__all__ = [
    "CalendarOverride",
    "ExportJob",
    "ImportJob",
    "Organization",
    "OrganizationQuerySet",
    "RevealLog",
    "SingletonRules",
    "Submission",
    "TimeStampedModel",
    "User",
]
