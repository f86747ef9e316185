import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Messages that services return are asserted as their English msgids. Without this the language
    is whatever the previous test's request left active in the thread (the suite's order decided)."""
    with translation.override("en"):
        yield
