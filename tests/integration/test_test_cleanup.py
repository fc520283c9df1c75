"""The suite leaves nothing behind on the developer's server or disk, and cleans up after a
run that was killed, without touching a run still going on beside it."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2

from adapters.postgres.embedded import start_embedded
from adapters.postgres.provisioning import ensure_roles
from tests.support.postgres import (
    _drop,
    _drop_abandoned,
    _remove_abandoned_folders,
    scratch_database,
)
from tests.support.processes import gone_within


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def names_on(server_url: str) -> set[str]:
    connection = psycopg2.connect(server_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database UNION ALL SELECT rolname FROM pg_roles")
            return {row[0] for row in cursor.fetchall()}
    finally:
        connection.close()


def test_a_scratch_database_and_its_roles_are_dropped_afterwards(postgres_server_url: str) -> None:
    with scratch_database(postgres_server_url) as url:
        made = {url.database, f"{url.database}_owner", f"{url.database}_app"}
        assert made <= names_on(postgres_server_url)
    assert not made & names_on(postgres_server_url)


def test_what_a_killed_run_left_is_dropped_and_a_live_runs_is_kept(
    postgres_server_url: str,
) -> None:
    dead = f"todo_test_{dead_pid()}_0123456789ab"
    live = f"todo_test_{os.getpid()}_ba9876543210"
    for name in (dead, live):
        ensure_roles(postgres_server_url, f"{name}_owner", f"{name}_app", name)
    try:
        _drop_abandoned(postgres_server_url)
        left = names_on(postgres_server_url)
        assert not {dead, f"{dead}_owner", f"{dead}_app"} & left
        assert {live, f"{live}_owner", f"{live}_app"} <= left
    finally:
        _drop(postgres_server_url, [live], [f"{live}_owner", f"{live}_app"])


def test_a_killed_runs_throwaway_server_is_stopped_and_its_folder_deleted() -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"todo-test-pg-{dead_pid()}-"))
    folder.chmod(0o755)
    left_running = start_embedded(folder, socket_mode=0o755)
    left_running._lock.close()  # the run was killed: nobody holds the folder
    server = int((folder / "postgres" / "postmaster.pid").read_text().split()[0])

    _remove_abandoned_folders()

    assert not folder.exists()
    assert gone_within(server), "the left server still runs"
