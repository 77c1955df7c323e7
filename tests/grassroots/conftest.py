import datetime

import pytest
from django.utils import translation

from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English msgids; the UI's default language is Chinese.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _requirements(db):
    # A transactional test elsewhere may have flushed the seeded requirements table.
    ensure_requirements()


@pytest.fixture
def roster(world):
    """Branch A1 with four full members and one probationary member."""
    full = [
        PartyMemberFactory(branch=world.branch_a1, name=n)
        for n in ("张三丰", "李四", "王五", "赵六")
    ]
    probationary = PartyMemberFactory(
        branch=world.branch_a1,
        name="钱七",
        stage="probationary",
        joined_on=datetime.date(2026, 3, 1),
    )
    return full + [probationary]
