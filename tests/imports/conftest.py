import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese():
    # Offices read the messages in Chinese; the tests assert them as they read them.
    with translation.override("zh-hans"):
        yield
