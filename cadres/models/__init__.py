"""The cadres app's models (DOMAIN.md §3). Other apps import Cadre and PostLevel from here."""

from .appointments import (
    IN_PROGRESS,
    Appointment,
    AppointmentQuerySet,
    FourMust,
    FourMustCheck,
    NoticeObjection,
    ObjectionOutcome,
    Stage,
)
from .career import (
    GRADES_FOR,
    Assessment,
    AssessmentGrade,
    FaultToleranceCase,
    Merit,
    MeritKind,
    ReserveEntry,
    Training,
)
from .posts import CadreRules, PostRecord, PostRecordQuerySet
from .records import (
    AGE_BANDS,
    AgeBand,
    Cadre,
    CadreQuerySet,
    FamilyMember,
    PostLevel,
    ResumeLine,
    StaffCategory,
)

__all__ = [
    "AGE_BANDS",
    "GRADES_FOR",
    "IN_PROGRESS",
    "AgeBand",
    "Appointment",
    "AppointmentQuerySet",
    "Assessment",
    "AssessmentGrade",
    "Cadre",
    "CadreQuerySet",
    "CadreRules",
    "FamilyMember",
    "FaultToleranceCase",
    "FourMust",
    "FourMustCheck",
    "Merit",
    "MeritKind",
    "NoticeObjection",
    "ObjectionOutcome",
    "PostLevel",
    "PostRecord",
    "PostRecordQuerySet",
    "ReserveEntry",
    "ResumeLine",
    "StaffCategory",
    "Stage",
    "Training",
]
