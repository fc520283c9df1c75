"""Starting the service, the reference or the floor app on a free port of 127.0.0.1, waiting
until it is ready, and stopping it afterwards."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bench import REPOSITORY
from bench.bearer_mode import BearerSetup
from bench.broken import Broken
from bench.process_stats import rss_kib
from bench.progress import log

LOOPBACK = "127.0.0.1"
READY_WITHIN_S = 90

# "declarative": the service with its routes in FastAPI's declarative idiom (--idioms).
AppName = Literal["service", "reference", "floor", "service-2w", "declarative"]
APPS: tuple[AppName, AppName] = ("service", "reference")
# The raw ASGI apps: their module and the variable their database URL comes in.
RAW_APPS = {
    "reference": ("bench.reference_app:app", "BENCH_REFERENCE_DATABASE_URL"),
    "floor": ("bench.floor_app:app", "BENCH_FLOOR_DATABASE_URL"),
}
# The service in two worker processes (WORKERS=2) sharing the same connection budget as the one
# process (DATABASE_MAX_CONNECTIONS's default: 40 + 2, so 19 + 2 each): the default mix runs it
# after the others (mix.py).
SERVICE_2W: AppName = "service-2w"
# The apps that are the service (python -m entrypoints.serve, or its declarative variant).
SERVICES: tuple[AppName, ...] = ("service", SERVICE_2W, "declarative")


@dataclass
class Server:
    name: AppName
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    rss_at_start_kib: int = 0
    lua_args: dict[str, str] = field(default_factory=dict)  # added to every wrk run on it

    @property
    def pid(self) -> int:
        return self.process.pid

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise Broken(
                f"{self.name} exited with {self.process.returncode}; its log ({self.log_path}):\n"
                + self.log_tail()
            )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _http_status(url: str) -> int:
    """The status of a GET, or 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2.0) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return 0


@contextlib.contextmanager
def serve(
    name: AppName,
    python: str,
    database_url: str,
    workdir: Path,
    bearer: BearerSetup | None = None,
) -> Iterator[Server]:
    """The service (`python -m entrypoints.serve`: one uvicorn worker, two for "service-2w",
    no access log), the same with declarative routes (`python -m bench.declarative_app`), or a
    raw app (bench/reference_app.py, bench/floor_app.py) on the same uvicorn with the same
    options, connected to `database_url`; with `bearer`, the service in bearer mode, and every
    wrk run sends tokens."""
    port = free_port()
    log_path = workdir / f"{name}-{port}.log"
    # Only the URL (and identity mode) given here: the caller's shell must not leak them in.
    leaks = ("NEON_DATABASE_URL", "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "WORKERS")
    env = {k: v for k, v in os.environ.items() if k not in leaks}
    env["PYTHONPATH"] = str(REPOSITORY)
    if name in SERVICES:
        env |= {
            "NEON_DATABASE_URL": database_url,
            "HOST": LOOPBACK,
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
            "WORKERS": "2" if name == SERVICE_2W else "1",
        }
        if bearer is not None:
            env |= bearer.service_env()
        module = "bench.declarative_app" if name == "declarative" else "entrypoints.serve"
        command = [python, "-m", module]
        ready_path = "/health/ready"
    else:
        module, url_variable = RAW_APPS[name]
        env[url_variable] = database_url
        command = [python, "-m", "uvicorn", module, "--host", LOOPBACK]
        command += f"--port {port} --workers 1 --no-access-log --log-level warning".split()
        ready_path = "/health"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPOSITORY, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = Server(name, process, port, log_path)
    if bearer is not None and name in SERVICES:
        server.lua_args = {"tokens": str(bearer.tokens_file)}
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while _http_status(f"http://{LOOPBACK}:{port}{ready_path}") != 200:
            server.check_alive()
            if time.monotonic() > deadline:
                raise Broken(
                    f"{name} did not become ready in {READY_WITHIN_S} s; log:\n{server.log_tail()}"
                )
            time.sleep(0.1)
        server.rss_at_start_kib = rss_kib(process.pid)
        log(
            f"{name} ready on port {port} (pid {process.pid}, "
            f"RSS {server.rss_at_start_kib / 1024:.1f} MiB)"
        )
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
