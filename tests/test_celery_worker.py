"""A real Celery worker process runs a task sent through a real Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.integration
def test_real_worker_runs_a_task_through_redis(redis_url):
    # A queue of our own, so that this test never takes another process's tasks on the shared Redis.
    queue = f"kp-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": redis_url, "CELERY_RESULT_BACKEND": redis_url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kokemuspankki",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "-l",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        client = Celery(broker=redis_url, backend=redis_url)
        result = client.send_task("kokemuspankki.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert worker.returncode is not None
