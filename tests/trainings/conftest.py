"""Fixtures shared by the trainings tests: English pages (most tests compare English texts) and a
cohort trained by the `trainer` fixture (tests/conftest.py)."""

import pytest
from django.utils import translation

from tests.factories import CohortFactory


@pytest.fixture
def english():
    """The test's own code in English (pages signed in with tests.trainings.clients.sign_in are too)."""
    with translation.override("en"):
        yield


@pytest.fixture
def cohort(db, trainer):
    cohort = CohortFactory()
    cohort.trainers.add(trainer)
    return cohort
