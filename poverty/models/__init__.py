"""Poverty alleviation (DOMAIN.md §4): villages and their "five ones", registered households
(建档立卡), pairings with visits, assistance measures, the exit pipeline.
"""

from .households import (
    Cause,
    ExitStage,
    Household,
    HouseholdKind,
    HouseholdQuerySet,
    HouseholdStatus,
    Income,
    IncomeSource,
    Measure,
    MeasureKind,
    Member,
    Relation,
)
from .pairings import Pairing, PairingQuerySet, Visit, VisitKind, VisitPhoto
from .rules import PairingQuota, PovertyRules, rule_value
from .villages import Village, VillageQuerySet, VillageStatus

__all__ = [
    "Cause",
    "ExitStage",
    "Household",
    "HouseholdKind",
    "HouseholdQuerySet",
    "HouseholdStatus",
    "Income",
    "IncomeSource",
    "Measure",
    "MeasureKind",
    "Member",
    "Pairing",
    "PairingQuerySet",
    "PairingQuota",
    "PovertyRules",
    "Relation",
    "Village",
    "VillageQuerySet",
    "VillageStatus",
    "Visit",
    "VisitKind",
    "VisitPhoto",
    "rule_value",
]
