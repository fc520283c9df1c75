"""The MCP server on stdio as an MCP client starts it: `python -m entrypoints.mcp` in a
subprocess, on the test's scratch database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from mcp.client.stdio import StdioServerParameters
from sqlalchemy.engine import URL

REPOSITORY = Path(__file__).resolve().parents[2]


def database_env(postgres_url: URL, postgres_owner_url: URL) -> dict[str, str]:
    return {
        "NEON_DATABASE_URL": postgres_url.render_as_string(hide_password=False),
        "MIGRATION_DATABASE_URL": postgres_owner_url.render_as_string(hide_password=False),
        "LOG_LEVEL": "WARNING",
    }


def stdio_server(env: Mapping[str, str]) -> StdioServerParameters:
    """The command an MCP client's configuration names (README, "MCP"). The SDK starts it
    with a minimal environment plus `env`, so nothing of the test's own leaks in."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "entrypoints.mcp"],
        env={"PYTHONPATH": os.fspath(REPOSITORY), **env},
        cwd=REPOSITORY,
    )


# Every tool the server offers; the tool list of each transport must be exactly this.
TOOLS = {
    "create_todo",
    "list_todos",
    "get_todo",
    "update_todo",
    "complete_todo",
    "reopen_todo",
    "delete_todo",
    "list_tags",
}


def run_once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m entrypoints.mcp` with `env` and no client: for the checks it makes at start."""
    return subprocess.run(
        [sys.executable, "-m", "entrypoints.mcp"],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
