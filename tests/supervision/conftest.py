import pytest
from django.utils import translation

from tests.supervision.factories import ComplaintFactory


@pytest.fixture
def supervisor(world):
    return world.user("supervisor")


@pytest.fixture
def make_complaint(world, supervisor):
    """make_complaint(received_on=..., **fields) -> a matter recorded by the office."""

    def make(**kwargs):
        kwargs.setdefault("receiver", supervisor)
        kwargs.setdefault("subject_organization", world.branch_a1)
        return ComplaintFactory(**kwargs)

    return make


@pytest.fixture(autouse=True)
def _english_messages():
    # The services' messages are asserted in English (the msgids); pages are in Chinese.
    with translation.override("en"):
        yield
