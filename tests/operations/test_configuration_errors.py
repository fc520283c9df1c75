"""An operator's mistake in a setting stops the service (and `make migrate`) at once with one
line naming the variable: no traceback, nothing started, no storage line for a wrong URL."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.operations.conftest import command_env

MISTAKES = [
    ({"NEON_DATABASE_URL": "notaurl"}, "NEON_DATABASE_URL"),
    ({"NEON_DATABASE_URL": "mysql://a@b/c"}, "NEON_DATABASE_URL"),
    ({"MIGRATION_DATABASE_URL": "postgresql://a@b:port/c"}, "MIGRATION_DATABASE_URL"),
    ({"PORT": "abc"}, "PORT"),
    ({"PORT": "70000"}, "PORT"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"WORKERS": "0"}, "WORKERS"),
    ({"WORKERS": "two"}, "WORKERS"),
    ({"DATABASE_MAX_CONNECTIONS": "many"}, "DATABASE_MAX_CONNECTIONS"),
    # Each worker needs 2 connections for /health/ready and 1 or more for requests.
    ({"DATABASE_MAX_CONNECTIONS": "2"}, "DATABASE_MAX_CONNECTIONS"),
    ({"WORKERS": "4", "DATABASE_MAX_CONNECTIONS": "11"}, "DATABASE_MAX_CONNECTIONS"),
]


@pytest.mark.parametrize("module", ["entrypoints.serve", "entrypoints.migrate"])
@pytest.mark.parametrize(("settings", "variable"), MISTAKES)
def test_a_setting_that_cannot_work_stops_with_one_line_naming_it(
    module: str, settings: dict[str, str], variable: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=tmp_path,
        env=command_env(**settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"configuration error: {variable}: ")
    if "WORKERS" in settings and variable != "WORKERS":  # the budget: both are named
        assert f"WORKERS={settings['WORKERS']}" in lines[0]
    assert result.stdout == ""
    assert not (tmp_path / ".data").exists()  # nothing was started


def test_a_url_with_a_password_is_never_echoed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.serve"],
        env=command_env(NEON_DATABASE_URL="mysql://user:hunter2@host/db"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "hunter2" not in result.stderr


def test_migrating_an_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "entrypoints.migrate"],
        cwd=tmp_path,
        env=command_env(NEON_DATABASE_URL="postgresql://todo@127.0.0.1:1/todo"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == ("cannot migrate: the database did not answer")
