"""Suite-wide guards: no network, no writes outside build/, quiet plotting."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_GUARD = str(Path(__file__).resolve().parent / "netguard")

# Every process started from here on (xdist workers, nbval kernels) imports the guard.
os.environ["CRMLAB_NETGUARD"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in [_GUARD, os.environ.get("PYTHONPATH", "")] if p
)
os.environ.setdefault("MPLBACKEND", "agg")  # unit tests only; kernels use their inline backend
import runpy  # noqa: E402

runpy.run_path(os.path.join(_GUARD, "sitecustomize.py"))  # guard this process too


def _git_status() -> set[str] | None:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {line[3:] for line in out.splitlines() if not line[3:].startswith("build/")}


def _write_guard_on() -> bool:
    # on under `make test` and CI; off for ad-hoc runs while files are being edited
    return os.environ.get("CRMLAB_WRITE_GUARD") == "1" or os.environ.get("CI") == "true"


def pytest_sessionstart(session: pytest.Session) -> None:
    if _write_guard_on() and not hasattr(session.config, "workerinput"):  # controller only
        session.config._crmlab_status_before = _git_status()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = getattr(session.config, "_crmlab_status_before", None)
    if before is None or hasattr(session.config, "workerinput"):
        return
    after = _git_status()
    if after is None:
        return
    new = sorted(after - before)
    if new:
        session.config._crmlab_new_files = new
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    new = getattr(config, "_crmlab_new_files", None)
    if new:
        terminalreporter.write_line(
            "FAILED: the test suite wrote outside build/ (files changed or created): "
            + ", ".join(new[:10]),
            red=True,
        )
