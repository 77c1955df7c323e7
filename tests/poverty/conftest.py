import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    # Service messages are asserted by their English msgid; the UI default is Chinese.
    with translation.override("en"):
        yield
