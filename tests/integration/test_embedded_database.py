"""The embedded default: a real PostgreSQL whose data survives a restart, served by one
process at a time, that changes nothing outside the folders it creates."""

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg2
import pytest

from adapters.postgres.embedded import EmbeddedDatabaseBusy, EmbeddedPostgres, start_embedded
from adapters.postgres.embedded_os import SYSTEM_HOME, PostgresRunner
from adapters.postgres.engine import create_database_engine
from adapters.postgres.migrate import upgrade_to_head
from adapters.postgres.provisioning import ensure_roles
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import NewTodo, TodoService


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder of our own that the server's OS user can reach (pytest's tmp_path is private
    to root, which would send the data to /var/lib/todo-service)."""
    folder = Path(tempfile.mkdtemp(prefix=f"todo-test-pg-{os.getpid()}-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def service_on(embedded: EmbeddedPostgres) -> TodoService:
    owner, server = ensure_roles(embedded.admin_url, "todo", "todo_app", "todo")
    upgrade_to_head(owner, grant_to="todo_app")
    return TodoService(PostgresTodoRepository(create_database_engine(server)))


def test_todos_in_the_embedded_database_survive_a_restart(base: Path) -> None:
    user = uuid4()
    first = start_embedded(base)
    try:
        created = service_on(first).create(user, NewTodo("kept"))
    finally:
        first.stop()

    second = start_embedded(base)
    try:
        assert service_on(second).get(user, created.id) == created
    finally:
        second.stop()


def test_a_second_process_is_refused_and_the_first_keeps_serving(base: Path) -> None:
    first = start_embedded(base)
    try:
        with pytest.raises(EmbeddedDatabaseBusy, match=f"already served by process {os.getpid()}"):
            start_embedded(base)
        connection = psycopg2.connect(first.admin_url)  # still up: the refusal stopped nothing
        connection.close()
    finally:
        first.stop()


def test_a_server_left_running_by_a_dead_owner_is_taken_over(base: Path) -> None:
    first = start_embedded(base)
    first._lock.close()  # as if the process had died without stopping its server
    second = start_embedded(base)
    try:
        connection = psycopg2.connect(second.admin_url)
        connection.close()
    finally:
        second.stop()
    assert not (base / "postgres" / "postmaster.pid").exists()


def test_a_private_checkout_keeps_its_permissions(tmp_path: Path) -> None:
    """As root, the server's OS user cannot reach a checkout under a 0700 folder: the data goes
    to /var/lib/todo-service/ instead of opening the folder up. An ordinary user owns the
    folder and keeps the data in place."""
    private = tmp_path / "home"
    private.mkdir()
    private.chmod(0o700)
    before = {folder: folder.stat().st_mode for folder in (private, tmp_path)}
    embedded = start_embedded(private / ".data")
    try:
        if os.geteuid() == 0:
            moved = SYSTEM_HOME / PostgresRunner.key(private / ".data") / "postgres"
            assert embedded.data_dir == moved
        else:
            assert embedded.data_dir == private / ".data" / "postgres"
        connection = psycopg2.connect(embedded.admin_url)
        connection.close()
    finally:
        embedded.stop()
        if embedded.data_dir.is_relative_to(SYSTEM_HOME):
            shutil.rmtree(embedded.data_dir.parent)
    after = {folder: folder.stat().st_mode for folder in before}
    assert after == before
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
