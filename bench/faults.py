"""--faults: the service under 64 concurrent clients while its database fails in each way the
contract's "Availability" names, played for real on a throwaway PostgreSQL server of this run's
own (never the local server): paused by SIGSTOP, a table lock held by another session, made
read-only, restarted, restarted while the pool sat idle. For each fault: the worst latency of
any request made during it, the 5xx answers other than 503 (there must be none), the worst
/health/ready latency and its status, and the time from the database being back to the last
failed answer (the contract: within 2 s)."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from bench.progress import log
from bench.report import Report, table
from bench.servers import LOOPBACK, Server, serve

# One throwaway-server helper for the tests and this mode (tests/support is importable from the
# repository root, where bench/run.py puts the path).
from tests.support.throwaway_postgres import ThrowawayPostgres, throwaway_postgres

CLIENTS = 64
FAULT_S = 10.0
SETTLE_S = 4.0  # before each fault, and after it is over


@dataclass(frozen=True, slots=True)
class Answer:
    started: float
    seconds: float
    status: int
    path: str


class Clients:
    """Threads that call the service in a loop (create, list a page, read one) until stopped."""

    def __init__(self, server: Server, clients: int) -> None:
        self.port = server.port
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _client(self) -> None:
        user = {"X-User-ID": str(uuid.uuid4()), "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=60)
        todo_id: str | None = None
        n = 0
        while not self._stop.is_set():
            method, path, body = [
                ("POST", "/api/v1/todos", json.dumps({"title": f"t{n}"})),
                ("GET", "/api/v1/todos?limit=5", None),
                ("GET", f"/api/v1/todos/{todo_id}", None) if todo_id else ("GET", "/health", None),
            ][n % 3]
            started = time.monotonic()
            try:
                connection.request(method, path, body=body, headers=user)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0  # no answer at all: counted with the 5xx
                payload = b""
            self.answers.append(Answer(started, time.monotonic() - started, status, path))
            if method == "POST" and status == 201:
                todo_id = json.loads(payload)["id"]
            n += 1


class Readiness(threading.Thread):
    """Asks /health/ready four times a second until stopped."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.port = server.port
        self.answers: list[Answer] = []
        self._stop_asking = threading.Event()

    def __enter__(self) -> Readiness:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_asking.set()
        self.join()

    def run(self) -> None:
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=60)
        while not self._stop_asking.wait(0.25):
            started = time.monotonic()
            connection.request("GET", "/health/ready")
            response = connection.getresponse()
            response.read()
            seconds = time.monotonic() - started
            self.answers.append(Answer(started, seconds, response.status, "/health/ready"))


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    begin: Callable[[], None]
    end: Callable[[], None]
    under_load: bool = True  # False: played while the service sits idle, then called


def faults(database: ThrowawayPostgres) -> list[Fault]:
    held: list[psycopg2.extensions.connection] = []

    def lock() -> None:
        locker = psycopg2.connect(database.url)
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE todos IN ACCESS EXCLUSIVE MODE")  # until rollback
        held.append(locker)

    def unlock() -> None:
        locker = held.pop()
        locker.rollback()
        locker.close()

    return [
        Fault(f"paused (SIGSTOP), {FAULT_S:.0f} s", database.pause, database.resume),
        Fault(f"ACCESS EXCLUSIVE lock held, {FAULT_S:.0f} s", lock, unlock),
        Fault(
            f"read-only, {FAULT_S:.0f} s",
            lambda: database.set_read_only(True),
            lambda: database.set_read_only(False),
        ),
        Fault(f"stopped, {FAULT_S:.0f} s", database.stop, database.start),
        Fault("restarted, pool idle", database.restart, lambda: None, under_load=False),
    ]


def measure(server: Server, fault: Fault) -> list[object]:
    log(f"faults: {fault.name}")
    if fault.under_load:
        with Readiness(server) as ready, Clients(server, CLIENTS) as clients:
            time.sleep(SETTLE_S)
            fault.begin()
            began = time.monotonic()
            time.sleep(FAULT_S)
            fault.end()
            back = time.monotonic()
            time.sleep(SETTLE_S)
    else:
        with Clients(server, CLIENTS):
            time.sleep(SETTLE_S)  # every pooled connection in use, then idle
        time.sleep(1.0)
        fault.begin()
        began = back = time.monotonic()
        with Readiness(server) as ready, Clients(server, CLIENTS) as clients:
            time.sleep(SETTLE_S)
    answers = [a for a in clients.answers if a.started >= began]
    during = [a for a in answers if a.started <= max(back, began + 2.0)]
    # Readiness answered while the fault lasted (not probes that the database, back, answered).
    ready_during = [a for a in ready.answers if a.started >= began and a.started + a.seconds < back]
    ready_during = ready_during or [a for a in ready.answers if a.started >= began][:8]
    failed_until = [
        a.started + a.seconds - back for a in answers + ready.answers if a.status >= 500
    ]
    return [
        fault.name,
        len(answers),
        f"{max(a.seconds for a in during) * 1000:.0f}",
        sum(a.status == 503 for a in answers),
        sum((a.status >= 500 and a.status != 503) or a.status == 0 for a in answers),
        f"{max(a.seconds for a in ready_during) * 1000:.0f}" if ready_during else "-",
        "/".join(sorted({str(a.status) for a in ready_during})) or "-",
        f"{max([0.0, *failed_until]):.2f}",
    ]


HEADERS = (
    "fault",
    "requests",
    "worst ms",
    "503s",
    "other 5xx",
    "ready worst ms",
    "ready said",
    "recovered s",
)


def run_faults(report: Report, python: str, workdir: Path) -> None:
    log("faults: starting a throwaway PostgreSQL server")
    with throwaway_postgres() as database, serve("service", python, database.url, workdir) as app:
        rows = []
        for fault in faults(database):
            rows.append(measure(app, fault))
            app.check_alive()
    report.add(
        f"faults: {CLIENTS} clients (create / list a page / read one), each fault {FAULT_S:.0f} s",
        table(HEADERS, rows)
        + "\nworst ms: slowest request made during the fault (contract: 503 within 7,000);"
        "\nready: /health/ready during it (contract: 503 within 3,000); recovered s: from the"
        "\ndatabase being back to the last 5xx answered (contract: within 2 s); other 5xx:"
        "\n5xx other than 503, and requests with no answer (must be 0).",
    )
