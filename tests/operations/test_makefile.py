"""The Makefile picks a working Python quietly, even beside pyenv shims for versions that are
not selected (they exist on PATH but fail with a page of advice)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_failing_python_shims_are_passed_over_without_noise(tmp_path: Path) -> None:
    for version in ("3.13", "3.12"):
        shim = tmp_path / f"python{version}"
        shim.write_text(
            f"#!/bin/sh\necho 'pyenv: python{version}: command not found' >&2\nexit 127\n"
        )
        shim.chmod(0o755)
    result = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run"],
        cwd=ROOT,
        env=os.environ | {"PATH": f"{tmp_path}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    chosen = result.stdout.splitlines()[1].split()[0]  # "<python> -m venv .venv"
    assert not chosen.startswith(str(tmp_path))
