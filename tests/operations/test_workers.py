"""WORKERS=2 on the embedded default, as an operator runs it: the parent starts the database and
migrates once, two worker processes both answer, all of them together never hold more
connections than DATABASE_MAX_CONNECTIONS under concurrent load, a worker that dies is
replaced, and any stop signal (to the parent, or to the terminal's whole process group) stops
every process and the database."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg2

from tests.operations.conftest import command_env, free_port, status_of, wait_for_status
from tests.support.processes import gone_within

WORKERS = 2
BUDGET = 8  # per worker: 2 connections for requests, 2 for /health/ready
CLIENTS = 32  # concurrent clients, many more than the 2 x 2 request connections
_ACCESS_LINE = re.compile(r" todo\.access \[(\d+)\] ")


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    workdir: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def workers(self) -> set[int]:
        """The live worker processes uvicorn spawned (not its resource tracker)."""
        pids = set()
        for child in psutil.Process(self.process.pid).children():
            with contextlib.suppress(psutil.Error):  # a dead worker not yet reaped
                if "spawn_main" in " ".join(child.cmdline()):
                    pids.add(child.pid)
        return pids

    def everything_started(self) -> list[int]:
        """Every process it started, the database's postmaster included."""
        children = [child.pid for child in psutil.Process(self.process.pid).children(True)]
        return [*children, _postmaster(self.workdir)]

    def answering_pids(self) -> set[int]:
        return {int(pid) for pid in _ACCESS_LINE.findall(self.log())}


def _postmaster(workdir: Path) -> int:
    return int(_pid_file(workdir)[0])


def _pid_file(workdir: Path) -> list[str]:
    return (workdir / ".data" / "postgres" / "postmaster.pid").read_text().splitlines()


@contextmanager
def two_workers(workdir: Path, log_dir: Path) -> Iterator[Service]:
    """`python -m entrypoints.serve` with WORKERS=2 and a budget of BUDGET connections, in a
    session of its own (as a terminal's foreground job), logging to a file; yields once both
    workers have started."""
    port = free_port()
    log_path = log_dir / "service.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.serve"],
            cwd=workdir,
            env=command_env(
                PORT=str(port), WORKERS=str(WORKERS), DATABASE_MAX_CONNECTIONS=str(BUDGET)
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    service = Service(process, port, log_path, workdir)
    try:
        wait_for_status(f"http://127.0.0.1:{port}/health/ready", 200)
        deadline = time.monotonic() + 90
        while service.log().count("Application startup complete") < WORKERS:
            assert time.monotonic() < deadline, service.log()
            time.sleep(0.2)
        yield service
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def serving_connections(workdir: Path) -> int:
    """Connections of the serving role, counted by the superuser over the server's socket."""
    lines = _pid_file(workdir)  # line 5: the socket's folder
    connection = psycopg2.connect(host=lines[4], port=int(lines[3]), user="postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = 'todo_app'")
            (count,) = cursor.fetchone() or (0,)
    finally:
        connection.close()
    return int(count)


def create_and_list(port: int, user: str) -> list[int]:
    """A create and a list, each over a connection of its own: their statuses."""
    headers = {"X-User-ID": user, "Content-Type": "application/json"}
    base = f"http://127.0.0.1:{port}/api/v1/todos"
    body = json.dumps({"title": "spread over workers"}).encode()
    statuses = []
    for request in (
        urllib.request.Request(base, data=body, headers=headers, method="POST"),
        urllib.request.Request(base, headers=headers),
    ):
        with urllib.request.urlopen(request, timeout=30) as response:
            statuses.append(int(response.status))
    return statuses


def stopped_cleanly(service: Service, started: list[int], errors: str) -> None:
    for pid in started:
        assert gone_within(pid, seconds=30), f"process {pid} is left; log:\n{errors}"
    assert "embedded PostgreSQL in" in errors and "stopped" in errors
    assert "Traceback" not in errors
    assert not (service.workdir / ".data" / "postgres" / "postmaster.pid").exists()


def test_two_workers_both_answer_within_the_connection_budget(
    workdir: Path, tmp_path: Path
) -> None:
    with two_workers(workdir, tmp_path) as service:
        first_line = service.log().splitlines()[0]
        assert "2 workers, each with 2 database connections for requests and 2 for" in first_line
        assert service.log().count("database schema is at the newest migration") == 1
        workers = service.workers()
        assert len(workers) == WORKERS

        counts: list[int] = []
        loaded = threading.Event()

        def sample() -> None:
            while not loaded.is_set():
                counts.append(serving_connections(workdir))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            users = [str(uuid.uuid4()) for _ in range(300)]
            with ThreadPoolExecutor(CLIENTS) as clients:
                pairs = list(clients.map(lambda user: create_and_list(service.port, user), users))
            ready = [status_of(f"http://127.0.0.1:{service.port}/health/ready") for _ in range(20)]
        finally:
            loaded.set()
            sampler.join()

        assert pairs == [[201, 200]] * len(users)  # nothing lost, nothing refused
        assert set(ready) == {200}
        assert service.answering_pids() == workers  # both workers answered
        # Never over the budget, and more than one worker's share: both held connections.
        assert max(counts) <= BUDGET, counts
        assert max(counts) > BUDGET // WORKERS, counts

        started = service.everything_started()
        service.process.send_signal(signal.SIGTERM)
        service.process.wait(timeout=60)
        stopped_cleanly(service, started, service.log())
        assert service.process.returncode == -signal.SIGTERM  # as one process ends


def test_a_worker_that_dies_is_replaced_and_ctrl_c_stops_everything(
    workdir: Path, tmp_path: Path
) -> None:
    with two_workers(workdir, tmp_path) as service:
        killed = min(service.workers())
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 90
        while len(service.workers() - {killed}) < WORKERS:
            assert time.monotonic() < deadline, service.log()
            time.sleep(0.2)
        while service.log().count("Application startup complete") < WORKERS + 1:
            assert time.monotonic() < deadline, service.log()
            time.sleep(0.2)
        assert {status_of(f"http://127.0.0.1:{service.port}/health/ready") for _ in range(20)} == {
            200
        }

        started = service.everything_started()
        os.killpg(service.process.pid, signal.SIGINT)  # Ctrl+C: the terminal signals the group
        service.process.wait(timeout=60)
        stopped_cleanly(service, started, service.log())
        assert service.process.returncode == 130


def test_closing_the_terminal_stops_every_worker_and_the_database(
    workdir: Path, tmp_path: Path
) -> None:
    with two_workers(workdir, tmp_path) as service:
        started = service.everything_started()
        os.killpg(service.process.pid, signal.SIGHUP)
        service.process.wait(timeout=60)
        stopped_cleanly(service, started, service.log())
        assert service.process.returncode == -signal.SIGTERM
