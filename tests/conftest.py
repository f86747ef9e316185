"""Shared fixtures. Test-only settings tweaks live here (STYLE.md), not in a second settings module."""

import os
import secrets
import shutil
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import UserFactory

# CI sets KP_REQUIRE_SERVICES=1: a test that would skip for a missing service fails instead.
REQUIRE_SERVICES = os.environ.get("KP_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    # The test client and the live server speak plain http, and manifest storage needs collectstatic.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Each run its own cache keys: a Redis cache outlives the run, and a one-time form key claimed by
    # an earlier run (the same user ids after --create-db) would read as a double submit.
    prefix = f"test-{secrets.token_hex(4)}"
    settings.CACHES = {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
    # Templates of the kinds that tests register (tests/templates/tests/...).
    settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]
    # A fast hasher: PBKDF2's million rounds cost every UserFactory and every form sign-in a good part
    # of a second on a small machine. Tests check who may sign in, not the strength of the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own while another run uses the usual one (two terminals, or an
    editor's test runner beside `make test`): both reuse their database (--reuse-db), and neither
    drops or flushes the other's. The first free slot's lock is held until the process ends."""
    import fcntl

    from pytest_django.fixtures import _set_suffix_to_test_databases

    locks = Path(settings.DATA_DIR) / "test-db-locks"
    locks.mkdir(parents=True, exist_ok=True)
    for slot in range(16):
        handle = (locks / f"{slot}.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _DB_SLOT_LOCKS.append(handle)
        if slot:
            _set_suffix_to_test_databases(suffix=f"run{slot}")
        return
    pytest.exit("16 test runs are using the test databases at once", returncode=3)


_DB_SLOT_LOCKS: list = []


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing (KP_REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    """The REDIS_URL CI provides (the machine's shared Redis); skip or fail when there is none."""
    url = os.environ.get("REDIS_URL")
    if not url:
        skip_or_fail("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at REDIS_URL is not reachable: {type(error).__name__}")
    return url


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator", mfa=True)


@pytest.fixture
def expert(db):
    return UserFactory(role="expert")


@pytest.fixture
def profile(expert):
    """The `expert` user's own, completed profile (test modules may define a richer one)."""
    from tests.factories import ExpertProfileFactory

    return ExpertProfileFactory(user=expert, onboarding_step=6)


@pytest.fixture
def signed_in(client, expert):
    """The expert signed in, with English pages so that assertions read the msgids."""
    client.force_login(expert)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def trainer(db):
    return UserFactory(role="trainer", mfa=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", mfa=True, is_superuser=True)


def database_url_for_subprocess() -> str:
    """A DATABASE_URL for the test database, for worker processes that a test starts."""
    from django.db import connection

    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{db['NAME']}?host={host}"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Finnish. A test client request runs in the test's own thread and its
    LocaleMiddleware leaves the request's language active afterwards: without this, a test after an
    English request would write factories' translated fields to the English columns."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _todo_count_remembered():
    """The navigation's to-do count is remembered for half a minute per process (bookings/todo.py),
    so whether a coordinator's page counts would depend on the tests before it. Each test starts
    with nothing waiting remembered, so pages cost no query for it; tests/bookings/test_todo.py
    forgets it where it checks the count."""
    from bookings.todo import nav_total

    nav_total.put(0, seconds=float("inf"))
    yield
    nav_total.forget()


@pytest.fixture(autouse=True)
def _fresh_search_corrections():
    """The search remembers its typo corrections for a minute per process: each test starts without."""
    from experts.models.search import clear_recent_corrections

    clear_recent_corrections()
    yield
    clear_recent_corrections()
