"""Every write of the cadres app (STYLE.md rule 2): views, forms, admin, demo and tests
call these."""

from .career import (
    assessment_record,
    fault_tolerance_record,
    merit_record,
    reserve_add,
    reserve_remove,
    training_record,
)
from .posts import post_record_add
from .records import (
    cadre_create,
    cadre_reveal_id_number,
    cadre_set_photo,
    cadre_update,
    family_member_add,
    resume_line_add,
)
from .workflow import (
    appointment_appoint,
    appointment_confirm,
    appointment_decide,
    appointment_propose,
    appointment_record_recommendation,
    appointment_return,
    appointment_start_inspection,
    appointment_start_notice,
    appointment_withdraw,
    four_must_complete,
    objection_record,
    objection_resolve,
)

__all__ = [
    "appointment_appoint",
    "appointment_confirm",
    "appointment_decide",
    "appointment_propose",
    "appointment_record_recommendation",
    "appointment_return",
    "appointment_start_inspection",
    "appointment_start_notice",
    "appointment_withdraw",
    "assessment_record",
    "cadre_create",
    "cadre_reveal_id_number",
    "cadre_set_photo",
    "cadre_update",
    "fault_tolerance_record",
    "family_member_add",
    "four_must_complete",
    "merit_record",
    "objection_record",
    "objection_resolve",
    "post_record_add",
    "reserve_add",
    "reserve_remove",
    "resume_line_add",
    "training_record",
]
