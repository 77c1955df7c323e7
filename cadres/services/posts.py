"""Post history: effective-dated, and the only writer of Cadre.organization."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Appointment, Cadre, PostRecord
from portal.models import Organization


def _sync_unit(cadre: Cadre, *, today: datetime.date) -> None:
    """Keep Cadre.organization (the scoping unit) equal to the current principal post's."""
    current = (
        Cadre.objects.with_current_post(today)
        .filter(pk=cadre.pk)
        .values_list("current_unit_id", flat=True)[0]
    )
    if current is not None and current != cadre.organization_id:
        cadre.organization_id = current
        cadre.save(update_fields=["organization", "updated_at"])


@transaction.atomic
def post_record_add(
    *,
    cadre: Cadre,
    unit: Organization,
    post_title: str,
    level: str,
    start_date: datetime.date,
    document_number: str,
    rank: str = "",
    end_date: datetime.date | None = None,
    is_concurrent: bool = False,
    end_previous: bool = False,
    appointment: Appointment | None = None,
    today: datetime.date | None = None,
) -> PostRecord:
    """Record a post. A principal post may not overlap another principal post; with
    `end_previous`, the principal post held on `start_date` ends that day instead."""
    today = today or timezone.localdate()
    if not document_number.strip():
        raise ValidationError(
            {"document_number": _("Enter the document number (文号) that made this post.")}
        )
    if not is_concurrent:
        others = cadre.posts.principal().select_for_update()
        if end_previous:
            held = others.in_force(start_date).filter(start_date__lt=start_date)
            for post in held:
                post.end_date = start_date
                post.save(update_fields=["end_date", "updated_at"])
        clash = others.overlapping(start=start_date, end=end_date).first()
        if clash is not None:
            raise ValidationError(
                _(
                    "This post overlaps the principal post “%(title)s” held from %(start)s; "
                    "a cadre holds one principal post at a time. End that post first, or "
                    "mark this one as concurrent (兼职)."
                )
                % {"title": clash.post_title, "start": clash.start_date.isoformat()}
            )
    post = PostRecord(
        cadre=cadre,
        unit=unit,
        post_title=post_title.strip(),
        level=level,
        rank=rank.strip(),
        start_date=start_date,
        end_date=end_date,
        document_number=document_number.strip(),
        is_concurrent=is_concurrent,
        appointment=appointment,
    )
    post.full_clean()
    post.save()
    _sync_unit(cadre, today=today)
    return post
