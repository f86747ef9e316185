"""`make run` and `make test` start from nothing: the embedded PostgreSQL, the supervisor, settings."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
DEVSTACK = [sys.executable, str(ROOT / "scripts" / "devstack.py")]


def clean_env(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh machine: no DATABASE_URL, no DEBUG, no Redis."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "REDIS_URL", "SECRET_KEY"}}
    env["KP_DATA_DIR"] = str(data_dir)
    return env


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and str(data_dir) in cmdline:
            found.append(proc)
    return found


@pytest.mark.integration
def test_embedded_postgres_starts_for_a_command_and_stops_after(tmp_path):
    script = "from django.db import connection; connection.ensure_connection(); print('server', connection.pg_version)"
    result = subprocess.run(
        [*DEVSTACK, "manage", "shell", "-c", script],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "server " in result.stdout
    assert int(result.stdout.split("server ")[1].split()[0]) >= 150000  # PostgreSQL 15 or newer
    assert (tmp_path / "pg" / "PG_VERSION").exists()  # data kept between runs
    assert postgres_processes(tmp_path) == []


@pytest.mark.integration
def test_make_run_serves_the_site_and_ctrl_c_stops_every_process(tmp_path):
    port = free_port()
    run = subprocess.Popen(
        [*DEVSTACK, "run", "--port", str(port)],
        cwd=ROOT,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = wait_for_health(port, deadline=time.monotonic() + 240)
        assert status == 200
        children = psutil.Process(run.pid).children(recursive=True)
        names = " ".join(" ".join(child.cmdline()) for child in children)
        # The web server is runserver started through scripts/devserver.py (a longer listen queue).
        assert "devserver.py" in names and "worker" in names and "beat" in names
        assert postgres_processes(tmp_path)
    finally:
        run.send_signal(signal.SIGINT)
        output, _ = run.communicate(timeout=60)
    assert "koordinaattori@demo.kokemuspankki.fi" in output
    assert f"http://localhost:{port}/" in output
    for child in children:
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    assert postgres_processes(tmp_path) == []

    # A second load of the demo data adds nothing.
    count = (
        "from accounts.models import User; from experts.models import ExpertProfile; "
        "from notifications.models import Notification; "
        "print('rows', User.objects.count(), ExpertProfile.objects.count(), Notification.objects.count())"
    )
    env = {**clean_env(tmp_path), "DEBUG": "1"}
    before = subprocess.run(
        [*DEVSTACK, "manage", "shell", "-c", count], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split("rows")[1]
    subprocess.run([*DEVSTACK, "manage", "load_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    after = subprocess.run(
        [*DEVSTACK, "manage", "shell", "-c", count], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split("rows")[1]
    assert before == after
    assert int(before.split()[1]) >= 11  # the demo expert and the searchable demo experts


def wait_for_health(port: int, deadline: float) -> int | None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
                return response.status
        except OSError:
            time.sleep(1)
    return None


def test_a_port_in_use_gives_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*DEVSTACK, "run", "--port", str(port)],
            cwd=ROOT,
            env=clean_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stdout
    assert postgres_processes(tmp_path) == []


def settings_value(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_debug_is_off_unless_asked_for(tmp_path):
    env = {
        **clean_env(tmp_path),
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@localhost/db",
        "DJANGO_SETTINGS_MODULE": "kokemuspankki.settings",
    }
    assert settings_value(env, "settings.DEBUG, settings.SESSION_COOKIE_SECURE").stdout.strip() == "False True"
    assert settings_value({**env, "DEBUG": "1"}, "settings.DEBUG").stdout.strip() == "True"


def test_secret_key_is_required(tmp_path):
    env = {
        **clean_env(tmp_path),
        "DATABASE_URL": "postgres://u@localhost/db",
        "DJANGO_SETTINGS_MODULE": "kokemuspankki.settings",
    }
    result = settings_value(env, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.integration
def test_a_crashed_holder_does_not_keep_the_database_running(tmp_path):
    """A pid left behind by a killed process (or an empty file) must not stop the cleanup."""
    script = "print('ok')"
    run = [*DEVSTACK, "manage", "shell", "-c", script]
    assert subprocess.run(run, cwd=ROOT, env=clean_env(tmp_path), capture_output=True, timeout=180).returncode == 0
    (tmp_path / "pg" / ".handle_pids.json").write_text("")  # a holder killed mid-write
    result = subprocess.run(run, cwd=ROOT, env=clean_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert postgres_processes(tmp_path) == []
    (tmp_path / "pg" / ".handle_pids.json").write_text("[999999999]")  # a pid that no longer runs
    result = subprocess.run(
        [*DEVSTACK, "manage", "shell", "-c", script],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert postgres_processes(tmp_path) == []


def test_the_development_server_queues_a_burst_of_connections():
    import importlib.util

    from django.core.servers import basehttp

    spec = importlib.util.spec_from_file_location("devserver", ROOT / "scripts" / "devserver.py")
    before = basehttp.WSGIServer.request_queue_size
    try:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))  # not __main__: sets, runs nothing
        assert basehttp.WSGIServer.request_queue_size == 512 > before
    finally:
        basehttp.WSGIServer.request_queue_size = before
