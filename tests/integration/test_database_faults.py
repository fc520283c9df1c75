"""Faults played for real on a PostgreSQL server of the test's own (never the shared one):
paused by SIGSTOP under concurrent load, a table lock held by another session, made read-only,
restarted while the pool sat idle. The bounds are the contract's ("Availability"): 503 with
Retry-After within 7 s, readiness 503 within 3 s, normal service within 2 s of the database
coming back, no thread or connection leaked, a stale pooled connection never a 503 for a read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import psycopg2
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx2 import Response

from entrypoints.config import Settings
from entrypoints.connection_budget import DEFAULT_MAX_CONNECTIONS, MAX_REQUEST_POOL, PROBE_POOL_SIZE
from entrypoints.http.app import build_container, create_app
from tests.support.load import Load
from tests.support.throwaway_postgres import ThrowawayPostgres, throwaway_postgres

TODOS = "/api/v1/todos"
UNAVAILABLE_WITHIN = 7.0
READY_WITHIN = 3.0
RECOVERED_WITHIN = 2.0
PAUSE_SECONDS = 10.0


@pytest.fixture(scope="module")
def server() -> Iterator[ThrowawayPostgres]:
    with throwaway_postgres() as server:
        yield server


@pytest.fixture
def client(server: ThrowawayPostgres) -> Iterator[TestClient]:
    """The service as it runs: its own pools (requests, readiness) on the throwaway server."""
    container = build_container(Settings(), storage="postgres")
    container.database.override(providers.Object(server.database_urls()))
    with TestClient(create_app(Settings(), container)) as client:
        assert client.get("/health/ready").status_code == 200  # migrated, ready
        yield client


def as_user(user: str) -> dict[str, str]:
    return {"X-User-ID": user}


def assert_unavailable_in_time(response: Response, seconds: float, bound: float) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"
    assert int(response.headers["Retry-After"]) > 0
    assert seconds < bound


def ready_within(client: TestClient) -> tuple[int, float]:
    started = time.monotonic()
    status = client.get("/health/ready").status_code
    return status, time.monotonic() - started


def test_a_paused_database_is_503_within_7_s_under_load_and_serves_within_2_s_of_resuming(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    users = [str(uuid4()) for _ in range(8)]

    def call(n: int) -> Response:
        headers = as_user(users[n % len(users)])
        if n % 2:
            return client.get(TODOS, params={"limit": "5"}, headers=headers)
        return client.post(TODOS, json={"title": f"t{n}"}, headers=headers)

    with Load(call, clients=64) as load:
        time.sleep(1.0)
        server.pause()
        paused_at = time.monotonic()  # once every process is stopped
        try:
            readiness = [ready_within(client) for _ in range(3)]
            time.sleep(max(0.0, paused_at + PAUSE_SECONDS - time.monotonic()))
        finally:
            server.resume()
            resumed_at = time.monotonic()
        time.sleep(RECOVERED_WITHIN + 2.0)

    answers = list(load.answers)
    assert {a.status for a in answers} <= {200, 201, 503}
    assert max(a.seconds for a in answers) < UNAVAILABLE_WITHIN
    assert all(a.retry_after for a in answers if a.status == 503)
    while_paused = [
        a for a in load.between(paused_at + 0.1, resumed_at) if a.started + a.seconds < resumed_at
    ]
    assert while_paused and {a.status for a in while_paused} == {503}
    recovered = load.between(resumed_at + RECOVERED_WITHIN, time.monotonic())
    assert recovered and {a.status for a in recovered} <= {200, 201}
    assert all(status == 503 and seconds < READY_WITHIN for status, seconds in readiness)
    assert ready_within(client)[0] == 200


def test_repeated_pauses_leak_no_thread_and_no_connection(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    user = str(uuid4())
    engine = client.app.state.container.engine()  # type: ignore[attr-defined]

    def call(n: int) -> Response:
        return client.post(TODOS, json={"title": f"t{n}"}, headers=as_user(user))

    for _ in range(3):
        with Load(call, clients=16):
            time.sleep(0.5)
            server.pause()
            time.sleep(4.0)
            server.resume()
            time.sleep(RECOVERED_WITHIN)
    assert client.post(TODOS, json={"title": "after"}, headers=as_user(user)).status_code == 201

    assert engine.pool.checkedout() == 0
    watchdogs = [t for t in threading.enumerate() if t.name == "statement-watchdog"]
    assert len(watchdogs) <= 2  # the requests' and the readiness probe's, at most
    # Backends whose client gave up end once they run again and find the socket closed.
    deadline = time.monotonic() + 10
    while server.connections("todo_app") > DEFAULT_MAX_CONNECTIONS:
        assert time.monotonic() < deadline, "connections leaked on the server"
        time.sleep(0.2)


def test_a_table_lock_held_by_another_session_is_503_within_7_s_and_not_ready(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    user = as_user(str(uuid4()))
    todo = client.post(TODOS, json={"title": "locked out"}, headers=user).json()
    locker = psycopg2.connect(server.url)
    # On a service without a bound every call would wait for the lock: let it go at last.
    release = threading.Timer(20.0, locker.rollback)
    try:
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE todos IN ACCESS EXCLUSIVE MODE")
        release.start()
        one = f"{TODOS}/{todo['id']}"
        for request in (
            lambda: client.get(TODOS, headers=user),
            lambda: client.get(one, headers=user),
            lambda: client.post(TODOS, json={"title": "blocked"}, headers=user),
            lambda: client.patch(one, json={"is_completed": True}, headers=user),
            lambda: client.delete(one, headers=user),
        ):
            started = time.monotonic()
            response = request()
            assert_unavailable_in_time(response, time.monotonic() - started, UNAVAILABLE_WITHIN)
        status, seconds = ready_within(client)
        assert (status, seconds < READY_WITHIN) == (503, True)
    finally:
        release.cancel()
        locker.rollback()
        locker.close()
    assert client.get(one, headers=user).status_code == 200
    assert ready_within(client)[0] == 200


def test_a_read_only_database_answers_writes_503_and_still_reads(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    user = as_user(str(uuid4()))
    todo = client.post(TODOS, json={"title": "kept"}, headers=user).json()
    one = f"{TODOS}/{todo['id']}"
    server.set_read_only(True)
    try:
        # Sessions pick a reloaded setting up between statements: start from new ones.
        client.app.state.container.engine().dispose()  # type: ignore[attr-defined]
        client.app.state.container.probe_engine().dispose()  # type: ignore[attr-defined]
        for request in (
            lambda: client.post(TODOS, json={"title": "refused"}, headers=user),
            lambda: client.post(
                TODOS, json={"title": "keyed"}, headers={**user, "Idempotency-Key": "k"}
            ),
            lambda: client.patch(one, json={"title": "refused"}, headers=user),
            lambda: client.delete(one, headers=user),
        ):
            started = time.monotonic()
            assert_unavailable_in_time(request(), time.monotonic() - started, UNAVAILABLE_WITHIN)
        assert client.get(one, headers=user).json()["title"] == "kept"
        assert client.get(TODOS, headers=user).json()["count"] == 1
        status, seconds = ready_within(client)
        assert (status, seconds < READY_WITHIN) == (503, True)
    finally:
        server.set_read_only(False)
    client.app.state.container.engine().dispose()  # type: ignore[attr-defined]
    client.app.state.container.probe_engine().dispose()  # type: ignore[attr-defined]
    assert client.post(TODOS, json={"title": "writable"}, headers=user).status_code == 201
    assert ready_within(client)[0] == 200


def test_a_restart_while_the_pool_sat_idle_costs_no_read_a_503_and_readiness_no_flap(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    user = as_user(str(uuid4()))
    todo = client.post(TODOS, json={"title": "survives"}, headers=user).json()
    one = f"{TODOS}/{todo['id']}"
    with Load(lambda n: client.get(one, headers=user), clients=16):
        time.sleep(1.0)  # the pool now holds many connections, each to a backend
    for _ in range(3):
        ready_within(client)  # and the readiness pool too

    server.restart()

    statuses = [client.get(one, headers=user).status_code for _ in range(3 * MAX_REQUEST_POOL)]
    statuses += [client.get(TODOS, headers=user).status_code for _ in range(MAX_REQUEST_POOL)]
    assert set(statuses) == {200}
    assert {ready_within(client)[0] for _ in range(4 * PROBE_POOL_SIZE)} == {200}
    assert client.post(TODOS, json={"title": "after"}, headers=user).status_code == 201


def terminate_when_waiting(server: ThrowawayPostgres, then: Callable[[], None]) -> None:
    """Terminate the service's backend as soon as it waits for a lock, then call `then`."""
    deadline = time.monotonic() + 5
    admin = psycopg2.connect(server.admin_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = 'todo-service' AND wait_event_type = 'Lock'"
                )
                if cursor.fetchall():
                    break
                time.sleep(0.02)
    finally:
        admin.close()
        then()


def test_a_read_whose_connection_is_killed_in_flight_is_retried_but_a_write_is_not(
    server: ThrowawayPostgres, client: TestClient
) -> None:
    user = as_user(str(uuid4()))
    todo = client.post(TODOS, json={"title": "original"}, headers=user).json()
    one = f"{TODOS}/{todo['id']}"
    for method, expected in (("GET", 200), ("PATCH", 503)):
        locker = psycopg2.connect(server.url)
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE todos IN ACCESS EXCLUSIVE MODE")
        killer = threading.Thread(target=terminate_when_waiting, args=(server, locker.rollback))
        killer.start()
        body = {"title": "changed"} if method == "PATCH" else None
        response = client.request(method, one, json=body, headers=user)
        killer.join()
        locker.close()
        assert response.status_code == expected, (method, response.text)
    # The write's statement died with its connection before it committed: nothing changed.
    assert client.get(one, headers=user).json()["title"] == "original"


def test_concurrent_creates_across_the_limit_store_exactly_the_limit(
    server: ThrowawayPostgres,
) -> None:
    # max_connections is 200 on this server: the first creates take the limit's fast path
    # (shared lock), the last ones its exact path (one at a time).
    limit = 210
    settings = Settings(max_todos_per_user=limit)
    container = build_container(settings, storage="postgres")
    container.database.override(providers.Object(server.database_urls()))
    user = as_user(str(uuid4()))
    with TestClient(create_app(settings, container)) as client:

        def create(n: int) -> int:
            return client.post(TODOS, json={"title": f"t{n}"}, headers=user).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(create, range(limit + 30)))
        assert statuses.count(201) == limit
        assert statuses.count(409) == 30
        assert client.get(TODOS, params={"limit": "1"}, headers=user).json()["count"] == limit
