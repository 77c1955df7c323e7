"""Factories for the reminder engine's tests: items due on a day, for the test deadlines."""

from datetime import date

from portal.models import Organization, User
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory


def branch_item(parent: Organization, due: date, name: str = "测试支部") -> Organization:
    """A branch whose test deadline (tests.branch_due) falls on `due`."""
    return OrganizationFactory(name=f"{name}@{due.isoformat()}", parent=parent)


def secretary_of(branch: Organization, **kwargs) -> User:
    return UserFactory(role=Role.SECRETARY, organization=branch, **kwargs)


def personal_item(user: User, due: date) -> User:
    """Make `user` responsible for a personal test deadline (tests.personal_due) on `due`."""
    user.phone = f"due:{due.isoformat()}"
    user.save(update_fields=["phone"])
    return user
