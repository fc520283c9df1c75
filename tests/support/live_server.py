"""The service on a real uvicorn server over TCP: in a thread of the test process (an app the test
built), or as `python -m entrypoints.serve` in a process of its own (its log captured, its
memory measurable). And a raw-socket client, to stop reading or hang up mid-message."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import URL

from entrypoints.server_config import Server, server_config

REPOSITORY = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def server_thread(app: FastAPI) -> Iterator[int]:
    """Serve `app` on a free port of 127.0.0.1 from a thread; yields the port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((LOOPBACK, 0))
    host, port = listener.getsockname()
    server = Server(server_config(app, host, port))  # production's server, loop and parser
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


@dataclass
class ServiceProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


@contextlib.contextmanager
def service_process(
    database_url: URL, migration_url: URL, log_path: Path
) -> Iterator[ServiceProcess]:
    """`python -m entrypoints.serve` serving as `database_url`'s role (migrated by
    `migration_url`'s) on a free port, logging to `log_path` at INFO; yields once
    /health/ready answers 200."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "NEON_DATABASE_URL"}
    env |= {
        "NEON_DATABASE_URL": database_url.render_as_string(hide_password=False),
        "MIGRATION_DATABASE_URL": migration_url.render_as_string(hide_password=False),
        "HOST": LOOPBACK,
        "PORT": str(port),
    }
    env |= {"LOG_LEVEL": "INFO", "PYTHONPATH": str(REPOSITORY)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.serve"],
            cwd=REPOSITORY,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    service = ServiceProcess(process, port, log_path)
    try:
        deadline = time.monotonic() + 60
        while _status(f"http://{LOOPBACK}:{port}/health/ready") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the service did not start:\n" + log_path.read_text())
            time.sleep(0.1)
        yield service
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def raw_request(port: int, head: str, body: bytes = b"") -> socket.socket:
    """A connection that has sent `head` (request line and headers, without the blank line),
    then `body`; the caller reads (or does not) and closes it."""
    connection = socket.create_connection((LOOPBACK, port), timeout=30)
    connection.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
    return connection


def read_until_closed(connection: socket.socket) -> bytes:
    chunks = []
    while data := connection.recv(1 << 20):
        chunks.append(data)
    return b"".join(chunks)


def dechunk(message: bytes) -> tuple[bytes, bool]:
    """The body of a chunked HTTP/1.1 response, and whether its last chunk arrived."""
    _, _, rest = message.partition(b"\r\n\r\n")
    body = []
    while True:
        size_line, found, rest = rest.partition(b"\r\n")
        if not found:
            return b"".join(body), False
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(body), True
        if len(rest) < size + 2:
            body.append(rest[:size])
            return b"".join(body), False
        body.append(rest[:size])
        rest = rest[size + 2 :]


@contextlib.contextmanager
def live_server(app: FastAPI) -> Iterator[tuple[str, int]]:
    """Serve `app` (its lifespan included) while in use; yields (host, port)."""
    with server_thread(app) as port:
        yield LOOPBACK, port


def exchange(address: tuple[str, int], head: str, timeout: float = 10) -> tuple[int, str]:
    """Send exactly these request lines (CRLF-joined, no body) and read the whole answer:
    (status, raw response text)."""
    with socket.create_connection(address, timeout=timeout) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n\r\n")
        text = read_until_closed(connection).decode("latin-1")
    return int(text.split(" ", 2)[1]), text


@contextlib.contextmanager
def uvicorn_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn in a thread; yields its base URL."""
    with server_thread(app) as port:
        yield f"http://{LOOPBACK}:{port}"


@contextlib.contextmanager
def static_page(html: str) -> Iterator[str]:
    """Serve `html` at / on its own port (another port is another origin, as a frontend's
    would be); yields the page's origin."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
