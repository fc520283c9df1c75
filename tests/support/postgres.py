"""A PostgreSQL server for the tests, and a scratch database on it per run.

Where the server comes from, first that works:
1. TEST_DATABASE_URL (any database on the server; the run creates its own beside it);
2. the local server at 127.0.0.1:5432 (CI and developer machines here);
3. a throwaway embedded server in a temporary folder, deleted after the run.
If none works the run fails and says why: the PostgreSQL tests are never skipped silently."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from sqlalchemy.engine import URL, make_url

from adapters.postgres.provisioning import ensure_owner_database

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _reachable(url: str) -> str | None:
    """None if we can connect and create databases; else why not."""
    try:
        connection = psycopg2.connect(url, connect_timeout=3)
    except psycopg2.Error as error:
        return str(error).strip().splitlines()[0]
    connection.close()
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """A URL of a database on a running server that we may create databases on."""
    reasons = []
    for name, url in (
        ("TEST_DATABASE_URL", os.environ.get("TEST_DATABASE_URL")),
        ("local", LOCAL_SERVER),
    ):
        if url:
            problem = _reachable(url)
            if problem is None:
                yield url
                return
            reasons.append(f"{name} ({make_url(url).render_as_string()}): {problem}")
    folder = Path(tempfile.mkdtemp(prefix="todo-test-pg-"))
    try:
        from adapters.postgres.embedded import start_embedded

        embedded = start_embedded(folder / "data")
    except Exception as error:
        shutil.rmtree(folder, ignore_errors=True)
        reasons.append(f"embedded: {error}")
        raise RuntimeError("no PostgreSQL for the tests:\n  " + "\n  ".join(reasons)) from error
    try:
        yield embedded.url
    finally:
        embedded.stop()
        shutil.rmtree(folder, ignore_errors=True)


TEST_ROLE = "todo_test_owner"


@contextmanager
def scratch_database(server_url: str) -> Iterator[URL]:
    """A new, empty database on the server, owned by a role that is no superuser (so
    row-level security applies to it, as to Neon's default role), dropped afterwards."""
    name = f"todo_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(server_url, connect_timeout=5)
    admin.autocommit = True
    try:
        yield make_url(ensure_owner_database(server_url, TEST_ROLE, name))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
