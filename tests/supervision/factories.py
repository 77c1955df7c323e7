"""Factories for the supervision app: matters go in through the intake service."""

import datetime

import factory

from supervision import services
from supervision.models import Category, Channel, Complaint


class ComplaintFactory(factory.django.DjangoModelFactory):
    """ComplaintFactory(receiver=user, subject_organization=org, received_on=...)."""

    class Meta:
        model = Complaint

    receiver = None
    channel = Channel.LETTER
    category = Category.FORMALISM
    summary = factory.Sequence(lambda n: f"反映问题{n}")
    description = "反映某单位会议过多、材料过多，基层负担重。"
    subject_organization = None
    subject_cadre = None
    has_specific_clues = False
    reporter = factory.LazyFunction(
        lambda: {"name": "举报人甲", "unit": "某村", "address": "某路1号", "contact": "13900000000"}
    )
    received_on = datetime.date(2025, 3, 3)

    @classmethod
    def _create(cls, model_class, *args, today=None, **kwargs):
        received_on = kwargs["received_on"]
        complaint, secret = services.complaint_record(
            today=today or max(received_on, datetime.date(2025, 3, 3)), **kwargs
        )
        complaint.secret = secret  # for tests of /track/ and the receipt
        return complaint
