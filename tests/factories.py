"""Factories for the shared core. App factories live in tests/<app>/factories.py."""

import factory

from portal import services
from portal.models import Organization, User
from portal.roles import Role


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
