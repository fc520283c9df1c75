"""A PostgreSQL server for the tests, and a scratch database on it per run.

Where the server comes from, first that works:
1. TEST_DATABASE_URL (a superuser's URL of any database on the server);
2. the local server at 127.0.0.1:5432 (CI and developer machines here);
3. a throwaway embedded server in a temporary folder, deleted after the run.
If none works the run fails and says why: the PostgreSQL tests are never skipped silently.

Nothing outlives a run: each scratch database comes with its own two roles (owner and serving
role), all dropped afterwards. Names carry the pid of the run that made them, so a run that
was killed is cleaned up by the next one, without touching a run still going on beside it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import URL, make_url

from adapters.postgres.embedded import start_embedded
from adapters.postgres.provisioning import ensure_roles

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
_PREFIX = "todo_test_"
_FOLDER_PREFIX = "todo-test-pg-"
_OURS = re.compile(rf"{_PREFIX}(\d+)_[0-9a-f]+(_owner|_app)?")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _reachable(url: str) -> str | None:
    """None if we can connect; else why not."""
    try:
        connection = psycopg2.connect(url, connect_timeout=3)
    except psycopg2.Error as error:
        return str(error).strip().splitlines()[0]
    connection.close()
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """A superuser's URL on a running server that we may create roles and databases on."""
    reasons = []
    _remove_abandoned_folders()
    for name, url in (
        ("TEST_DATABASE_URL", os.environ.get("TEST_DATABASE_URL")),
        ("local", LOCAL_SERVER),
    ):
        if url:
            problem = _reachable(url)
            if problem is None:
                if name == "local":
                    _drop_abandoned(url)
                yield url
                return
            reasons.append(f"{name} ({make_url(url).render_as_string()}): {problem}")
    with throwaway_server(reasons) as url:
        yield url


@contextmanager
def throwaway_server(reasons: list[str] | None = None) -> Iterator[str]:
    """A new embedded server in a temporary folder, stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-"))
    folder.chmod(0o755)  # our folder: the server's OS user (as root) and PgBouncer reach in
    try:
        embedded = start_embedded(folder, socket_mode=0o755)
    except Exception as error:
        shutil.rmtree(folder, ignore_errors=True)
        problems = [*(reasons or []), f"embedded: {error}"]
        raise RuntimeError("no PostgreSQL for the tests:\n  " + "\n  ".join(problems)) from error
    try:
        yield embedded.admin_url
    finally:
        embedded.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_database(server_url: str) -> Iterator[URL]:
    """A new, empty database owned by a new role that is no superuser (so row-level security
    applies to it, as to Neon's roles), with a serving role beside it (`app_url`); all
    dropped afterwards. Yields the owner's URL."""
    name = f"{_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:12]}"
    owner, _ = ensure_roles(server_url, f"{name}_owner", f"{name}_app", name)
    try:
        yield make_url(owner)
    finally:
        _drop(server_url, [name], [f"{name}_owner", f"{name}_app"])


def app_url(owner_url: URL) -> URL:
    """The serving role's URL for a scratch database (it has only what migrations grant)."""
    return owner_url.set(username=f"{owner_url.database}_app")


def _drop(server_url: str, databases: list[str], roles: list[str]) -> None:
    admin = psycopg2.connect(server_url, connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for database in databases:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )
            for role in roles:
                cursor.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    finally:
        admin.close()


def _drop_abandoned(server_url: str) -> None:
    """Databases and roles of test runs on this machine that died before cleaning up."""
    admin = psycopg2.connect(server_url, connect_timeout=5)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'todo\\_test\\_%'")
            databases = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'todo\\_test\\_%'")
            roles = [row[0] for row in cursor.fetchall()]
    finally:
        admin.close()

    def abandoned(name: str) -> bool:
        match = _OURS.fullmatch(name)
        return match is not None and not _alive(int(match[1]))

    _drop(server_url, list(filter(abandoned, databases)), list(filter(abandoned, roles)))
    _drop_legacy_role(server_url)


def _drop_legacy_role(server_url: str) -> None:
    """Earlier versions of this suite left one shared role behind; it goes once it owns
    nothing (a run of such a version still going on keeps it)."""
    admin = psycopg2.connect(server_url, connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP ROLE IF EXISTS {_PREFIX}owner")
    except psycopg2.errors.DependentObjectsStillExist:
        pass
    finally:
        admin.close()


def _remove_abandoned_folders() -> None:
    """Throwaway servers of test runs that died: stop the server, delete the folder."""
    pattern = re.compile(rf"{_FOLDER_PREFIX}(\d+)-.*")
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER_PREFIX}*"):
        match = pattern.fullmatch(folder.name)
        if match is None:  # an earlier version's folder: gone once its server is
            if not any(_server_pid(folder / data) for data in ("data", "postgres")):
                shutil.rmtree(folder, ignore_errors=True)
            continue
        if _alive(int(match[1])):
            continue
        for data in ("postgres", "data"):  # the embedded layout, and throwaway_postgres.py's
            server = _server_pid(folder / data)
            if server is not None:
                os.kill(server, signal.SIGQUIT)  # immediate shutdown: nothing in it is kept
        shutil.rmtree(folder, ignore_errors=True)


def _server_pid(data_dir: Path) -> int | None:
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None
