import pytest
from django.utils import translation

from tests.factories import ExpertProfileFactory


@pytest.fixture(autouse=True)
def english_messages():
    """Messages that services return are asserted as their English msgids. Without this the language
    is whatever the previous test's request left active in the thread (the suite's order decided)."""
    with translation.override("en"):
        yield


@pytest.fixture
def profile(expert):
    """The signed-in expert's own, completed profile (test modules may define a richer one)."""
    return ExpertProfileFactory(user=expert, onboarding_step=6)


@pytest.fixture
def signed_in(client, expert):
    """The expert signed in, with English pages so that assertions read the msgids."""
    client.force_login(expert)
    client.cookies["kp_language"] = "en"
    return client
