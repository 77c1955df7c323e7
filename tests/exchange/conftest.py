import pytest
from django.utils import translation

from tests.grassroots.factories import ensure_requirements


@pytest.fixture(autouse=True)
def _english():
    # Pages in English (assertions read msgids); exports are Chinese whatever the language.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _requirements(db):
    ensure_requirements()
