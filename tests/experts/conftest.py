import pytest

from tests.factories import ExpertProfileFactory


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
