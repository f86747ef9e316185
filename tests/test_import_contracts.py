"""The dependency rules between apps (pyproject.toml's import-linter contracts) hold, and the check
fails when they are broken: a copy of the apps gets one wrong import at a time."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "kokemuspankki",
    "accounts",
    "notifications",
    "feedback",
    "experts",
    "bookings",
    "trainings",
    "hearings",
    "demo",
]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_project_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "module, wrong_import, broken",
    [
        # The bank would know about bookings (bookings must tell it through experts/workload.py).
        ("experts/models/profiles.py", "from bookings.models import Booking", "Apps depend one way"),
        # The outbox would know an app that uses it.
        ("notifications/models.py", "import accounts.models", "notifications knows nothing"),
        # The cycle that was broken: services imported tasks, which imports services.
        ("notifications/services.py", "from . import tasks", "No import cycles"),
        # An app would reach into the URL wiring.
        ("bookings/views/expert.py", "import kokemuspankki.urls", "Only the wiring"),
    ],
)
def test_a_wrong_import_breaks_a_contract(copy, module, wrong_import, broken):
    path = copy / module
    path.write_text(path.read_text() + f"\n{wrong_import}  # noqa\n")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert broken in result.stdout.split("Broken contracts")[1]
