"""Under gunicorn, a workflows.yaml with problems stops start-up with file:line lines only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA

GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is installed with the package")
def test_gunicorn_refuses_a_broken_workflows_file_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "workflows.yaml"
    shutil.copy(DATA / "workflows" / "unknown_guard_invalid.yaml", broken)
    env = {
        "LITIGATION_WORKFLOWS": str(broken),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "PATH": "/usr/bin:/bin",
    }

    result = subprocess.run(
        [str(GUNICORN), "--preload", "-w", "2", "-b", "127.0.0.1:0", "litigation.wsgi:app"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )

    assert result.returncode != 0
    assert f"{broken}:" in result.stderr
    assert "unknown guard" in result.stderr
    assert "Traceback" not in result.stderr
