from datetime import date

import pytest

import portal.deadlines
from portal.deadlines import registry
from tests.reminders.deadlines import TEST_DEADLINES

TODAY = date(2026, 12, 1)


@pytest.fixture
def test_deadlines(monkeypatch):
    """Only the test deadlines are registered (the apps' own are imported first, then hidden,
    so that they are still there for the next test)."""
    registry()
    monkeypatch.setattr(portal.deadlines, "_REGISTRY", {d.key: d for d in TEST_DEADLINES})
    return {d.key: d for d in TEST_DEADLINES}
