"""One line on what the figures were measured with: commit, interpreter, CPUs, the optional
speed-ups uvicorn picks up, wrk's version."""

import os
import shutil
import subprocess

from bench import REPOSITORY


def _output_of(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, cwd=REPOSITORY)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return done.stdout.strip()


def describe_environment(python: str) -> str:
    head = _output_of(["git", "rev-parse", "--short", "HEAD"])
    dirty = len(_output_of(["git", "status", "--porcelain"]).splitlines())
    version = _output_of([python, "-c", "import platform; print(platform.python_version())"])
    installed = {
        module: _output_of([python, "-c", f"import {module}; print('yes')"]) == "yes"
        for module in ("uvloop", "httptools")
    }
    modules = ", ".join(
        f"{module} {'installed' if found else 'absent'}" for module, found in installed.items()
    )
    wrk = _output_of(["wrk", "--version"]).splitlines()[0] if shutil.which("wrk") else "absent"
    return (
        f"commit {head} ({dirty} uncommitted paths), apps on {python} (Python {version}), "
        f"{os.cpu_count()} CPUs, {modules} (uvicorn uses "
        f"{'httptools' if installed['httptools'] else 'h11'} and "
        f"{'uvloop' if installed['uvloop'] else 'asyncio'}), wrk: {wrk}"
    )
