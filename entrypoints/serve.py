"""`python -m entrypoints.serve`: the service on uvicorn (uvloop + httptools, server_config.py),
configured from the environment; in one process, or with WORKERS > 1 in several (workers.py)."""

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from adapters.postgres.embedded import EmbeddedDatabaseBusy
from application.ports import RepositoryUnavailable
from entrypoints.config import CONFIGURATION_ERROR, Settings, configure_logging, load_settings
from entrypoints.container import Container
from entrypoints.http.app import build_container, create_app
from entrypoints.server_config import Server, server_config
from entrypoints.workers import serve_workers

logger = logging.getLogger("todo")


class _Server(Server):
    """uvicorn stops gracefully on SIGINT and SIGTERM only; closing the terminal sends
    SIGHUP, which would end the process without stopping the embedded database."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = signal.signal(signal.SIGHUP, self._hang_up)
            try:
                yield
            finally:
                signal.signal(signal.SIGHUP, previous)

    def _hang_up(self, sig: int, frame: FrameType | None) -> None:
        self.handle_exit(signal.SIGTERM, frame)  # a graceful stop, as for SIGTERM


def identity_mode(settings: Settings) -> str:
    if settings.bearer_mode:
        audience = f", audience {settings.auth_audience}" if settings.auth_audience else ""
        return (
            f"bearer tokens of {settings.auth_issuer}{audience},"
            f" verified against the JWKS at {settings.auth_jwks_url}"
        )
    return "the trusted X-User-ID header (header mode; AUTH_JWKS_URL and AUTH_ISSUER: bearer)"


def processes(settings: Settings) -> str:
    pools = settings.worker_pools
    count = "1 worker" if settings.workers == 1 else f"{settings.workers} workers, each"
    return (
        f"{count} with {pools.requests} database connections for requests and {pools.probe}"
        f" for /health/ready (DATABASE_MAX_CONNECTIONS={settings.database_max_connections})"
    )


def main() -> None:
    settings = load_settings()
    configure_logging(settings)
    container = build_container(settings)
    try:
        database = container.database()  # starts the embedded server, if that is the one
    except EmbeddedDatabaseBusy as error:
        print(f"cannot start: {error}", file=sys.stderr)
        raise SystemExit(CONFIGURATION_ERROR) from None
    # The first log line: who the service believes a caller is, where the todos live, and
    # how many processes serve with how many connections.
    logger.info(
        "identity: %s; storage: %s; %s",
        identity_mode(settings),
        database.where,
        processes(settings),
    )
    if settings.workers > 1:
        serve_workers(settings, container, schema_ready=_migrated(container))
        return
    try:
        container.repository().ping()  # migrates first
    except RepositoryUnavailable as error:
        logger.warning("%s; serving 503 until it answers", error)
    config = server_config(create_app(settings, container), settings.host, settings.port)
    try:
        _Server(config).run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl+C once it has shut down cleanly
        raise SystemExit(130) from None


def _migrated(container: Container) -> bool:
    """Migrate once, before the workers start: the parent holds no pool of its own."""
    try:
        container.prepare_schema()()
    except RepositoryUnavailable as error:
        logger.warning("%s; serving 503 until it answers", error)
        return False
    return True


if __name__ == "__main__":
    main()
