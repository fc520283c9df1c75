"""Helpers for running the service's commands as an operator would: in a subprocess, in a
folder of its own, with only the environment given."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def workdir() -> Iterator[Path]:
    """Where a command runs (its .env and .data/ would be here): a folder of our own that
    the embedded server's OS user can reach when the tests run as root."""
    folder = Path(tempfile.mkdtemp(prefix=f"todo-test-pg-{os.getpid()}-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def command_env(**settings: str) -> dict[str, str]:
    """The environment less every setting of the service, plus `settings`."""
    names = {"NEON_DATABASE_URL", "MIGRATION_DATABASE_URL", "PORT", "HOST", "LOG_LEVEL"}
    env = {name: value for name, value in os.environ.items() if name not in names}
    return env | settings


def start(module: str, workdir: Path, **settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=workdir,
        env=command_env(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for_status(url: str, expected: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status_of(url) == expected:
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {expected} within {seconds} s")
