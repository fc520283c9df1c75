"""Every queued connection is accepted at once (entrypoints/accept_queue.py), not one per turn of
the event loop as libuv does: played with a loop held busy while a burst of clients connects."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

from entrypoints.accept_queue import accept_queued
from entrypoints.server_config import Server, server_config
from tests.support.apps import memory_app
from tests.support.http_wire import Wire
from tests.support.live_server import LOOPBACK

BURST = 50
LOOP_HELD_SECONDS = 1.0


@contextlib.contextmanager
def _listening() -> Iterator[socket.socket]:
    listener = socket.create_server((LOOPBACK, 0), backlog=128)
    listener.setblocking(False)
    with listener:
        yield listener


def test_accept_queued_takes_every_waiting_connection_in_one_call() -> None:
    with _listening() as listener:
        clients = [socket.create_connection(listener.getsockname()) for _ in range(BURST)]
        try:
            first = accept_queued(listener, most=BURST - 10)
            rest = accept_queued(listener, most=BURST)
            empty = accept_queued(listener, most=BURST)
            assert (len(first), len(rest), empty) == (BURST - 10, 10, [])
            for connection in first + rest:
                connection.close()
        finally:
            for client in clients:
                client.close()


@contextlib.contextmanager
def _server_with_a_loop_holder(holding: threading.Event) -> Iterator[tuple[Server, int]]:
    app = memory_app()

    async def hold_the_loop() -> str:
        holding.set()
        time.sleep(LOOP_HELD_SECONDS)  # on the loop's thread: nothing is accepted meanwhile
        return "held"

    app.add_api_route("/hold", hold_the_loop)
    listener = socket.create_server((LOOPBACK, 0))
    server = Server(server_config(app, LOOPBACK, listener.getsockname()[1]))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        yield server, listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def test_a_burst_queued_behind_a_busy_loop_is_accepted_in_one_turn() -> None:
    holding = threading.Event()
    with _server_with_a_loop_holder(holding) as (server, port):
        holder = Wire(socket.create_connection((LOOPBACK, port), timeout=30))
        holder.connection.sendall(b"GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
        assert holding.wait(timeout=30)  # the loop is inside /hold now
        burst = [Wire(socket.create_connection((LOOPBACK, port), timeout=30)) for _ in range(BURST)]
        for wire in burst:
            wire.connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert holder.response().status == 200
            assert [wire.response().status for wire in burst] == [200] * BURST
            # libuv's own listener takes at most one of them in that turn; the drain the rest.
            assert sum(drain.accepted for drain in server.drains) >= BURST - 1
        finally:
            for wire in [holder, *burst]:
                wire.connection.close()
    assert all(drain.stopped for drain in server.drains)
