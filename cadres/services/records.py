"""Writes to the cadre record: personal data, photo, résumé, family, ID reveal."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cadres.models import Cadre, FamilyMember, ResumeLine
from portal import services as portal_services
from portal.idnumbers import check_agrees, normalize, parse_id_number
from portal.models import Organization
from portal.pinyin import initials
from portal.roles import Capability, may
from portal.uploads import clean_upload

# The form fields a caller may set besides the required ones (organization is not among
# them: the post history decides it).
DETAIL_FIELDS = frozenset(
    {
        "ethnicity",
        "native_place",
        "birthplace",
        "party_joined_on",
        "work_started_on",
        "health",
        "professional_title",
        "speciality",
        "staff_category",
        "fulltime_education",
        "fulltime_degree",
        "fulltime_school",
        "inservice_education",
        "inservice_degree",
        "inservice_school",
        "user",
    }
)


def _check_id_number(id_number: str, *, birth_date, gender) -> str:
    id_number = normalize(id_number)
    try:
        parse_id_number(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    check_agrees(id_number, birth_date=birth_date, gender=gender)
    return id_number


UPDATE_FIELDS = DETAIL_FIELDS | {"name", "name_initials", "gender", "birth_date", "id_number"}


def _set_details(cadre: Cadre, details: dict[str, Any]) -> None:
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise TypeError(f"unknown cadre fields: {sorted(unknown)}")
    for name, value in details.items():
        setattr(cadre, name, value)


@transaction.atomic
def cadre_create(
    *,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str,
    organization: Organization,
    **details: Any,
) -> Cadre:
    """A new cadre record. `organization` is the unit until the first post is recorded;
    from then on the post history keeps it (cadres.services.posts)."""
    id_number = _check_id_number(id_number, birth_date=birth_date, gender=gender)
    cadre = Cadre(
        name=name.strip(),
        name_initials=initials(name.strip()),
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        organization=organization,
    )
    _set_details(cadre, details)
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def cadre_update(
    *,
    cadre: Cadre,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str,
    **details: Any,
) -> Cadre:
    id_number = _check_id_number(id_number, birth_date=birth_date, gender=gender)
    data = {
        "name": name.strip(),
        "name_initials": initials(name.strip()),
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number,
        **details,
    }
    return portal_services.model_update(instance=cadre, data=data, fields=UPDATE_FIELDS)


@transaction.atomic
def cadre_set_photo(*, cadre: Cadre, photo: UploadedFile) -> Cadre:
    """Replace the cadre's photo; the file is checked by its content, not its name, and
    re-encoded (portal.uploads)."""
    clean = clean_upload(photo, field="photo")
    old = cadre.photo.name if cadre.photo else ""
    cadre.photo.save(clean.name, clean, save=False)
    cadre.save(update_fields=["photo", "updated_at"])
    if old:
        storage = cadre.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return cadre


def cadre_reveal_id_number(*, cadre: Cadre, user, ip_address: str | None = None) -> str:
    """The full ID number, for a role allowed to see it; the reveal is logged."""
    if not may(user, Capability.REVEAL_ID_NUMBER):
        raise ValidationError(_("Your role may not see ID numbers in full."))
    return portal_services.reveal_record(
        user=user, obj=cadre, field="id_number", ip_address=ip_address
    )


@transaction.atomic
def resume_line_add(
    *, cadre: Cadre, start: datetime.date, end: datetime.date | None, text: str
) -> ResumeLine:
    line = ResumeLine(cadre=cadre, start=start, end=end, text=text.strip())
    if end is not None and end < start:
        raise ValidationError({"end": _("A résumé line cannot end before it starts.")})
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def family_member_add(
    *,
    cadre: Cadre,
    relation: str,
    name: str,
    birth_date: datetime.date | None = None,
    political_status: str = "",
    employer_and_post: str = "",
) -> FamilyMember:
    member = FamilyMember(
        cadre=cadre,
        relation=relation.strip(),
        name=name.strip(),
        birth_date=birth_date,
        political_status=political_status.strip(),
        employer_and_post=employer_and_post.strip(),
        position=cadre.family_members.count(),
    )
    member.full_clean()
    member.save()
    return member
