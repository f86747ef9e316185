import pytest

from notifications import kinds
from tests.factories import UserFactory

REMINDER = kinds.register(
    kinds.Kind(code="tests.reminder", label="Test reminder", template="tests/email/reminder", calendar=False)
)
RECEIPT = kinds.register(
    kinds.Kind(code="tests.receipt", label="Test receipt", template="tests/email/reminder", transactional=True)
)
EVENT = kinds.register(
    kinds.Kind(code="tests.event", label="Test event", template="tests/email/reminder", calendar=True)
)


@pytest.fixture
def person(db):
    return UserFactory(role="expert", language="fi", phone="+358401234567")
