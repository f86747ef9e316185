"""The deployment files: docker-compose.yml's shape, .env.example against settings.py, the Dockerfile.

PyYAML is not a dependency, so docker-compose.yml is read with a minimal line-based reader that knows
only this file's block style. Where the Docker Compose plugin is installed, `docker compose config`
validates the whole file as well.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = (ROOT / "docker-compose.yml").read_text()
ENV_EXAMPLE = (ROOT / ".env.example").read_text()
# Instructions only: the comments may well name what the instructions must not use.
DOCKERFILE = "\n".join(
    line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")
)
SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat"}
ONE_SHOT = {"migrate"}


def nested(text: str, key: str, indent: int) -> str | None:
    """The value on the `key:` line at `indent` spaces plus every line nested under it, or None."""
    lines = text.splitlines()
    head = re.compile(rf"^ {{{indent}}}{re.escape(key)}:(\s|$)")
    for number, line in enumerate(lines):
        if not head.match(line):
            continue
        body = [line.split(":", 1)[1]]
        for following in lines[number + 1 :]:
            content = following.strip()
            # A blank line or a comment never ends a block; a line indented no deeper than the key does.
            if content and not content.startswith("#") and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        return "\n".join(body)
    return None


def services() -> dict[str, str]:
    block = nested(COMPOSE, "services", 0)
    assert block is not None, "docker-compose.yml has no services: section"
    names = re.findall(r"^  ([\w.-]+):", block, re.MULTILINE)
    return {name: nested(block, name, 2) or "" for name in names}


def test_compose_defines_the_six_services():
    assert set(services()) == SERVICES


def test_beat_runs_exactly_one_replica():
    deploy = nested(services()["beat"], "deploy", 4)
    assert deploy is not None
    assert re.findall(r"replicas:\s*(\d+)", deploy) == ["1"]


def test_redis_keeps_an_append_only_file():
    command = nested(services()["redis"], "command", 4) or ""
    assert re.search(r"--appendonly\W+yes", command)


@pytest.mark.parametrize("name", sorted(SERVICES - ONE_SHOT))
def test_long_running_service_has_a_healthcheck(name):
    healthcheck = nested(services()[name], "healthcheck", 4)
    assert healthcheck is not None and "test:" in healthcheck


def test_migrate_runs_once():
    migrate = services()["migrate"]
    assert "migrate" in (nested(migrate, "command", 4) or "")
    assert (nested(migrate, "restart", 4) or "").strip() == '"no"'


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_service_waits_for_a_successful_migration(name):
    depends_on = nested(services()[name], "depends_on", 4) or ""
    condition = nested(depends_on, "migrate", 6) or ""
    assert "condition: service_completed_successfully" in condition


def test_secret_key_comes_only_from_the_env_file():
    values = re.findall(r"^\s*SECRET_KEY:\s*(.*)$", COMPOSE, re.MULTILINE)
    assert values and all(value.startswith("${SECRET_KEY:?") for value in values)
    assert re.search(r"^\s*env_file:\s*\.env\s*$", COMPOSE, re.MULTILINE)


def settings_variables() -> set[str]:
    """Every environment variable settings.py reads: env("X"), env.<type>("X") and Env().str("X")."""
    source = (ROOT / "kokemuspankki" / "settings.py").read_text()
    return set(re.findall(r"""(?:\benv|\bEnv\(\))(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def test_settings_variables_are_found():
    # Guards the regex: an empty or partial result would let the next test pass vacuously.
    assert {"SECRET_KEY", "DATABASE_URL", "KP_DATA_DIR", "EMAIL_URL", "DEBUG"} <= settings_variables()


def test_env_example_lists_every_variable_settings_reads():
    # Listed means an assignment line, commented out (default kept) or not.
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE, re.MULTILINE))
    assert settings_variables() - listed == set()


def test_env_example_commits_no_secret():
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD"):
        assert re.search(rf"^{name}=$", ENV_EXAMPLE, re.MULTILINE), f"{name} must be left empty"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "staticfiles"} <= ignored
    assert ".data" in ignored or ".data*" in ignored


def test_image_runs_as_a_non_root_user_without_dev_requirements():
    user = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    assert "requirements.txt" in DOCKERFILE
    assert "requirements-dev" not in DOCKERFILE
    assert "collectstatic --no-input" in DOCKERFILE


def test_access_log_leaves_out_query_strings():
    log_format = re.search(r'"--access-logformat",\s*"([^"]*)"', DOCKERFILE)
    assert log_format is not None
    assert "%(q)s" not in log_format.group(1) and "%(r)s" not in log_format.group(1)


def docker_compose_available() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def test_docker_compose_config_is_valid(tmp_path, monkeypatch):
    if not docker_compose_available():
        pytest.skip("the Docker Compose plugin is not installed (`docker compose version` fails)")
    # A copy beside .env.example as .env: env_file must exist, and the real .env stays untouched.
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.setenv("SECRET_KEY", "test-only-secret-key")
    monkeypatch.setenv("POSTGRES_PASSWORD", "test-only-password")
    result = subprocess.run(
        ["docker", "compose", "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
