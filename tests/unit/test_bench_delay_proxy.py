"""The delay proxy of `make bench --latency` (bench/delay_proxy.py) relays every byte in order,
each direction at least the given delay late, and passes a half-close on: a broken proxy would
make every latency figure meaningless, and the benchmark itself is not run by the suite. Played
against a real echo server over TCP, the proxy in a process of its own as the bench runs it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

DELAY_MS = 20
REPOSITORY = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _echo_server() -> Iterator[int]:
    """Echoes each connection's bytes back, and closes its side once the client closed its."""
    listener = socket.create_server(("127.0.0.1", 0))

    def echo(connection: socket.socket) -> None:
        with connection:
            while data := connection.recv(65536):
                connection.sendall(data)

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=echo, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


@contextlib.contextmanager
def _proxy(target_port: int) -> Iterator[int]:
    command = [
        sys.executable, str(REPOSITORY / "bench" / "delay_proxy.py"), "--target-port",
        str(target_port), "--delay-ms", str(DELAY_MS), "--max-seconds", "60",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "listening on HOST:PORT (...)"
        assert line.startswith("listening on "), line
        yield int(line.split()[2].rsplit(":", 1)[1])
    finally:
        process.terminate()
        process.wait(timeout=10)


def _receive(connection: socket.socket, size: int) -> bytes:
    chunks, received = [], 0
    while received < size:
        chunk = connection.recv(65536)
        assert chunk, "closed early"
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def test_bytes_arrive_whole_in_order_one_delay_each_way_and_the_close_follows() -> None:
    payload = os.urandom(3 * 1024 * 1024)  # many reads and writes in each direction
    with (
        _echo_server() as echo_port,
        _proxy(echo_port) as proxy_port,
        socket.create_connection(("127.0.0.1", proxy_port), timeout=30) as connection,
    ):
        started = time.monotonic()
        connection.sendall(b"ping")
        assert _receive(connection, 4) == b"ping"
        round_trip_ms = (time.monotonic() - started) * 1000
        assert round_trip_ms >= 2 * DELAY_MS * 0.95  # the sleep is corrected for oversleep

        sender = threading.Thread(target=connection.sendall, args=(payload,))
        sender.start()
        echoed = _receive(connection, len(payload))
        sender.join()
        assert echoed == payload

        connection.shutdown(socket.SHUT_WR)  # passed on: the echo server closes its side
        assert connection.recv(1) == b""
