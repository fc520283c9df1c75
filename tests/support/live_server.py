"""An app on a real uvicorn server on 127.0.0.1 (a thread of the test process), for what a
TestClient cannot show: raw header lines, and concurrent requests timed against each other."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


@contextmanager
def live_server(app: FastAPI) -> Iterator[tuple[str, int]]:
    """Serve `app` (its lifespan included) while in use; yields (host, port)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    host, port = listener.getsockname()
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield host, port
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def raw_request(address: tuple[str, int], head: str, timeout: float = 10) -> tuple[int, str]:
    """Send exactly these request lines (CRLF-joined, no body) and read the whole answer:
    (status, raw response text)."""
    with socket.create_connection(address, timeout=timeout) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n\r\n")
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    text = b"".join(chunks).decode("latin-1")
    return int(text.split(" ", 2)[1]), text
