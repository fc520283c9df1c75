"""The no-limit list on a real server over TCP (the contract's "Limits"): a 100,000-todo list in
bounded memory without holding anyone up, a database that fails mid-stream, a slow reader."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from adapters.postgres.engine import create_database_engine, normalize_url
from tests.integration.conftest import proxy_to, through
from tests.support.apps import postgres_app
from tests.support.bulk_todos import seed_todos
from tests.support.live_server import (
    LOOPBACK,
    dechunk,
    raw_request,
    read_until_closed,
    server_thread,
    service_process,
)

TODOS = "/api/v1/todos"
BIG = 100_000
# Generous bounds for a loaded 2-core machine. Before streaming, one such list took +1 GiB and
# held /health up for seconds.
RSS_GROWTH_LIMIT_MIB = 150
OTHERS_WAIT_LIMIT_S = 3.0


def _url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _get(port: int, path: str, user: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-User-ID": user} if user else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _stream_list(port: int, user: str) -> tuple[int, bytes]:
    """Read a whole list, keeping only its size and its last bytes."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    connection.request("GET", TODOS, headers={"X-User-ID": user})
    response = connection.getresponse()
    size, tail = 0, b""
    while chunk := response.read(1 << 20):
        size += len(chunk)
        tail = (tail + chunk)[-200:]
    connection.close()
    return size, tail


@pytest.fixture
def big_user(postgres_url: URL) -> str:
    user = str(uuid4())
    seed_todos(_url(postgres_url), user, BIG)
    return user


def test_a_100000_todo_list_streams_in_bounded_memory_without_holding_others_up(
    postgres_url: URL, postgres_owner_url: URL, big_user: str, tmp_path: Path
) -> None:
    other = str(uuid4())
    log = tmp_path / "service.log"
    with service_process(postgres_url, postgres_owner_url, log) as service:
        # The other user's todo, and a first list of theirs, warm the service up.
        status, body = _post_todo(service.port, other)
        assert status == 201, body
        other_todo = json.loads(body)["id"]
        assert _get(service.port, TODOS, other)[0] == 200
        rss_before = service.rss_kib()

        result: list[tuple[int, bytes]] = []
        streaming = threading.Thread(
            target=lambda: result.append(_stream_list(service.port, big_user))
        )
        streaming.start()
        waits: dict[str, list[float]] = {"/health": [], "list": [], "get": []}
        rss_peak = rss_before
        while streaming.is_alive():
            for name, path in (
                ("/health", "/health"),
                ("list", TODOS),
                ("get", f"{TODOS}/{other_todo}"),
            ):
                started = time.monotonic()
                status, _ = _get(service.port, path, None if name == "/health" else other)
                waits[name].append(time.monotonic() - started)
                assert status == 200, name
            rss_peak = max(rss_peak, service.rss_kib())
            time.sleep(0.05)
        streaming.join()

    size, tail = result[0]
    assert tail.endswith(b'],"count":%d,"next_cursor":null}' % BIG)
    assert size > BIG * 2000  # every todo, at its largest
    assert min(len(w) for w in waits.values()) >= 3  # the others really ran during the list
    worst = {name: max(w) for name, w in waits.items()}
    assert all(wait < OTHERS_WAIT_LIMIT_S for wait in worst.values()), worst
    assert (rss_peak - rss_before) / 1024 < RSS_GROWTH_LIMIT_MIB


def _post_todo(port: int, user: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        connection.request(
            "POST",
            TODOS,
            body=b'{"title": "another user\'s todo"}',
            headers={"X-User-ID": user, "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def long_list_user(postgres_url: URL) -> str:
    """A user whose list (about 48 MB) is far more than the sockets between us and the
    service buffer, so the service is still writing it when the test acts."""
    user = str(uuid4())
    seed_todos(_url(postgres_url), user, 20_000)
    return user


def _start_reading(port: int, user: str) -> tuple[socket.socket, bytes]:
    """Ask for `user`'s list and read its first 100 kB; then the caller stops reading."""
    connection = raw_request(port, f"GET {TODOS} HTTP/1.1\r\nHost: test\r\nX-User-ID: {user}")
    received = b""
    while len(received) < 100_000:
        received += connection.recv(65536)
    return connection, received


def test_a_database_failure_mid_stream_cuts_the_response_off(
    postgres_url: URL, long_list_user: str, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = proxy_to(postgres_url)
    proxy.start()
    engine = create_database_engine(through(proxy, postgres_url))
    try:
        with server_thread(postgres_app(engine)) as port, caplog.at_level(logging.INFO):
            connection, received = _start_reading(port, long_list_user)
            proxy.cut()  # the database goes away after the first bytes were sent
            message = received + read_until_closed(connection)
            connection.close()
    finally:
        proxy.cut()
        engine.dispose()

    assert message.startswith(b"HTTP/1.1 200 ")
    body, complete = dechunk(message)
    assert not complete  # no last chunk: any HTTP client reports the body as incomplete
    assert body.startswith(b'{"items":[{')
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("list cut off after ") for message in messages)
    assert any(message.startswith(f"GET {TODOS} 200 ") for message in messages)
    [access] = [message for message in messages if message.startswith(f"GET {TODOS} ")]
    assert access.endswith(" incomplete")
    assert not any(record.exc_info for record in caplog.records)  # no stack trace


def test_a_slow_reader_holds_no_database_connection(postgres_url: URL, long_list_user: str) -> None:
    # One connection in the pool: were the stalled list holding it, the other user's request
    # would wait the pool's timeout and answer 503.
    engine = create_engine(
        normalize_url(_url(postgres_url)),
        isolation_level="AUTOCOMMIT",
        pool_size=1,
        max_overflow=0,
        pool_timeout=2,
    )
    other = str(uuid4())
    try:
        with server_thread(postgres_app(engine)) as port:
            connection, received = _start_reading(port, long_list_user)
            time.sleep(1.0)  # the service fills the socket and waits for the reader
            started = time.monotonic()
            assert _post_todo(port, other)[0] == 201
            assert _get(port, TODOS, other)[0] == 200
            assert time.monotonic() - started < OTHERS_WAIT_LIMIT_S
            with engine.connect() as probe:
                # Our own probe is the pool's one connection: nobody else holds it.
                assert probe.exec_driver_sql("SELECT 1").scalar() == 1
            message = received + _read_rest(connection)
    finally:
        engine.dispose()

    body, complete = dechunk(message)
    assert complete
    assert json.loads(body)["count"] == 20_000


def _read_rest(connection: socket.socket) -> bytes:
    """Read until the last chunk (the connection stays open: keep-alive)."""
    chunks = [b""]
    while not b"".join(chunks[-2:]).endswith(b"\r\n0\r\n\r\n"):
        data = connection.recv(1 << 20)
        assert data, "the connection closed before the last chunk"
        chunks.append(data)
    connection.close()
    return b"".join(chunks)
