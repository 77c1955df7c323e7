"""Factories for the shared core, and the one ID-number generator of every test. App
factories live in tests/<app>/factories.py."""

import datetime
import itertools

import factory

from portal import services
from portal.idnumbers import check_char
from portal.models import Organization, User
from portal.roles import Role

_id_serial = itertools.count(1)


def id_number_for(
    birth_date: datetime.date = datetime.date(1970, 5, 4),
    gender: str = "male",
    *,
    area: str | None = None,
) -> str:
    """A valid, fictitious GB 11643 number encoding `birth_date` and `gender`, unique within a
    test run: 500 numbers per area code, from 110108 on (area codes the tests' hand-written
    numbers, 110105 and 530102, never use), unless the test names its `area`."""
    n = next(_id_serial)
    area = area or f"{110108 + n // 500:06d}"
    order = (n % 500) * 2 + (1 if gender == "male" else 0)
    first17 = f"{area}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"组织{n}")
    kind = Organization.Kind.BRANCH
    category = Organization.Category.VILLAGE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, so the tree path is right.
        return services.organization_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = Role.STAFF
    password = factory.django.Password("pw-for-tests-1")
