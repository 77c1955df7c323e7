import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # Messages are asserted by their English msgid; the pages' Chinese is checked in views.
    with translation.override("en"):
        yield
