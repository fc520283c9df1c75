"""What the container needs for the PostgreSQL adapter: the embedded default server and the
engine (resources, cleaned up when the app shuts down), and the schema preparation."""

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from adapters.postgres.calls import Deadlines
from adapters.postgres.embedded import start_embedded
from adapters.postgres.engine import (
    CONNECT_TIMEOUT_SECONDS,
    PROBE_CONNECT_TIMEOUT_SECONDS,
    PROBE_POOL_SIZE,
    create_database_engine,
)
from adapters.postgres.migrate import upgrade_to_head
from adapters.postgres.provisioning import bypasses_row_security
from application.ports import RepositoryUnavailable

logger = logging.getLogger("todo")

EMBEDDED_DATA_DIR = Path(".data/postgres")  # git-ignored, relative to where the service runs


def database_url(neon_database_url: str | None) -> Iterator[str]:
    """NEON_DATABASE_URL if set; otherwise the embedded server, stopped on shutdown."""
    if neon_database_url:
        where = make_url(neon_database_url.replace("postgres://", "postgresql://", 1))
        logger.info("storage: PostgreSQL at %s/%s (NEON_DATABASE_URL)", where.host, where.database)
        yield neon_database_url
        return
    embedded = start_embedded(EMBEDDED_DATA_DIR)
    logger.info(
        "storage: embedded PostgreSQL, data in %s (set NEON_DATABASE_URL to use Neon)",
        embedded.data_dir,
    )
    try:
        yield embedded.url
    finally:
        embedded.stop()


def database_engine(url: str, connect_timeout: int) -> Iterator[Engine]:
    engine = create_database_engine(url, connect_timeout=connect_timeout)
    try:
        yield engine
    finally:
        engine.dispose()


def probe_engine(url: str) -> Iterator[Engine]:
    """A small pool of its own for /health/ready, so that it answers within its bound even
    while every request connection is busy or stuck (then, 503 within 3 s)."""
    engine = create_database_engine(
        url, pool_size=PROBE_POOL_SIZE, connect_timeout=PROBE_CONNECT_TIMEOUT_SECONDS
    )
    try:
        yield engine
    finally:
        engine.dispose()


def database_deadlines(seconds: dict[str, float]) -> Deadlines:
    return Deadlines(
        statement_seconds=seconds["statement"],
        lock_seconds=seconds["lock"],
        client_seconds=seconds["client"],
    )


def schema_preparer(url: str) -> Callable[[], None]:
    """Migrate to the newest schema, and warn if the role would bypass row-level security."""

    def prepare() -> None:
        try:
            upgrade_to_head(url)
            connection = psycopg2.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        except (OperationalError, psycopg2.OperationalError) as error:
            raise RepositoryUnavailable("the database did not answer") from error
        try:
            if bypasses_row_security(connection):
                logger.warning(
                    "connected as a superuser or BYPASSRLS role: row-level security does not "
                    "apply to it; serve as the database owner role instead (see README)"
                )
        finally:
            connection.close()

    return prepare
