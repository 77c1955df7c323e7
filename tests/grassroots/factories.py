"""Factories for the grassroots app; members are made through the service."""

import datetime

import factory

from grassroots import services
from grassroots.models import PartyMember, Stage
from tests.factories import id_number_for


class PartyMemberFactory(factory.django.DjangoModelFactory):
    """A full member (joined 2015, full 2016) of `branch`, unless told otherwise."""

    class Meta:
        model = PartyMember

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = "male"
    birth_date = factory.Sequence(lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=n))
    stage = Stage.FULL
    joined_on = datetime.date(2015, 7, 1)
    full_on = datetime.date(2016, 7, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("id_number", id_number_for(kwargs["birth_date"], kwargs["gender"]))
        if kwargs["stage"] != Stage.FULL:
            kwargs["full_on"] = None
        if kwargs["stage"] not in (Stage.PROBATIONARY, Stage.FULL):
            kwargs["joined_on"] = None
        return services.member_create(today=datetime.date(2026, 11, 28), **kwargs)


def ensure_requirements() -> None:
    """Re-seed the default meeting requirements after a transactional test's flush emptied
    the table (the data migration seeded them once, when the test database was created)."""
    import importlib

    from grassroots.models import MeetingRequirement

    if MeetingRequirement.objects.exists():
        return
    seed = importlib.import_module("grassroots.migrations.0003_seed_requirements")
    MeetingRequirement.objects.bulk_create(
        MeetingRequirement(
            kind=kind, applies_to_kinds=kinds, frequency=frequency, quorum=quorum, note=note
        )
        for kind, kinds, frequency, quorum, note in seed.DEFAULTS
    )
