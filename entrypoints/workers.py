"""WORKERS > 1: uvicorn's process supervisor, serving one listening socket from several worker
processes, each with its own app and pools (its share of DATABASE_MAX_CONNECTIONS).

The parent owns the database side: it starts the embedded server if that is the one (only one
process may), migrates once, then supervises. The workers are spawned (not forked: a fork
would copy the parent's connections and threads), get the settings and the database's URLs
with their app factory (the embedded server's socket is only known once it runs), and never
start a server or migrate (unless the parent could not reach the database to migrate; then
each prepares the schema before its first statement, as a single process would, in turn
under the migration's advisory lock).

Stopping: SIGINT, SIGTERM or SIGHUP to the parent stops the workers (SIGTERM: each finishes
its requests and closes its pools), then the parent stops the embedded database. Workers
ignore SIGINT and SIGHUP, which a terminal sends to every process of its group, so that they
stop in that order. A worker that dies is replaced; one that fails to start stops the service
(uvicorn's Multiprocess)."""

from __future__ import annotations

import functools
import logging
import signal

from dependency_injector import providers
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from entrypoints.config import Settings, configure_logging
from entrypoints.container import Container
from entrypoints.database import DatabaseUrls
from entrypoints.http.app import build_container, create_app
from entrypoints.server_config import worker_config

logger = logging.getLogger("todo")

INTERRUPTED = 130  # exit status after Ctrl+C, as a shell reports it


def worker_app(settings: Settings, urls: DatabaseUrls, schema_ready: bool) -> FastAPI:
    """The app of one worker process (uvicorn calls this factory in the worker), connected to
    the parent's database, never starting one."""
    # Called inside uvicorn's server, after it installed its own handlers; the parent decides
    # when workers stop (it sends SIGTERM), so a terminal's Ctrl+C or hang-up reaches them
    # through it, after in-flight requests are answered, never as a KeyboardInterrupt here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    configure_logging(settings)
    container = build_container(settings)
    container.database.override(providers.Object(urls))
    if schema_ready:
        container.prepare_schema.override(providers.Object(None))
    return create_app(settings, container)


class _Supervisor(Multiprocess):
    """uvicorn's supervisor restarts every worker on SIGHUP; here SIGHUP (a closed terminal)
    stops the service like SIGTERM, so that the embedded database is stopped too."""

    stopped_by: signal.Signals | None = None

    def handle_hup(self) -> None:
        logger.info("received SIGHUP, stopping")
        self.stopped_by = signal.SIGTERM  # a graceful stop, as for SIGTERM
        self.should_exit.set()

    def handle_int(self) -> None:
        self.stopped_by = signal.SIGINT
        super().handle_int()

    def handle_term(self) -> None:
        self.stopped_by = signal.SIGTERM
        super().handle_term()

    @property
    def failed_to_start(self) -> bool:
        return any(worker.exitcode == STARTUP_FAILURE for worker in self.processes)


def serve_workers(settings: Settings, container: Container, schema_ready: bool) -> None:
    """Serve with settings.workers processes until a stop signal; then stop the database.
    Exit 130 after SIGINT, killed by SIGTERM after SIGTERM or SIGHUP (as a single process),
    3 when a worker could not start (uvicorn's startup failure)."""
    factory = functools.partial(worker_app, settings, container.database(), schema_ready)
    config = worker_config(factory, settings.host, settings.port, settings.workers)
    supervisor = _Supervisor(config, sockets=[config.bind_socket()])
    try:
        supervisor.run()
    finally:
        container.shutdown_resources()  # the embedded database, once every worker is gone
    if supervisor.failed_to_start:
        raise SystemExit(STARTUP_FAILURE)
    if supervisor.stopped_by == signal.SIGINT:
        raise SystemExit(INTERRUPTED)
    if supervisor.stopped_by == signal.SIGTERM:
        # End as one process does (uvicorn re-raises the signal once it has shut down), so
        # that a supervisor such as systemd sees the same exit either way.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
