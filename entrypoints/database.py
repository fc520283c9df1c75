"""What the container needs for the PostgreSQL adapter: the database's URLs (starting the
embedded default server when none is configured), the engine, and the schema preparation."""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from adapters.postgres.calls import Deadlines
from adapters.postgres.embedded import start_embedded
from adapters.postgres.engine import (
    PROBE_CONNECT_TIMEOUT_SECONDS,
    create_database_engine,
    normalize_url,
)
from adapters.postgres.migrate import upgrade_to_head
from adapters.postgres.provisioning import ensure_roles, serving_role
from entrypoints.connection_budget import PROBE_POOL_SIZE

logger = logging.getLogger("todo")

EMBEDDED_BASE = Path(".data")  # git-ignored, relative to where the service runs
EMBEDDED_OWNER, EMBEDDED_SERVER = "todo", "todo_app"


@dataclass(frozen=True)
class DatabaseUrls:
    serving: str  # the role the service serves as: reads and writes rows, owns nothing
    migration: str  # the role that owns the schema and migrates it
    where: str  # for the first log line


def database_urls(
    neon_database_url: str | None, migration_database_url: str | None
) -> Iterator[DatabaseUrls]:
    """NEON_DATABASE_URL (and MIGRATION_DATABASE_URL) if set; otherwise the embedded server,
    stopped on shutdown."""
    if neon_database_url:
        where = normalize_url(neon_database_url)
        described = f"PostgreSQL at {where.host}/{where.database} (NEON_DATABASE_URL)"
        if not migration_database_url:
            described += (
                "; no MIGRATION_DATABASE_URL, so the serving role migrates and owns the schema:"
                " it could lift row-level security itself (README: 'Two roles')"
            )
        yield DatabaseUrls(
            neon_database_url, migration_database_url or neon_database_url, described
        )
        return
    embedded = start_embedded(EMBEDDED_BASE)
    try:
        owner, server = ensure_roles(embedded.admin_url, EMBEDDED_OWNER, EMBEDDED_SERVER, "todo")
        described = f"embedded PostgreSQL, data in {embedded.data_dir}"
        if not embedded.data_dir.is_relative_to(EMBEDDED_BASE.resolve()):
            described += " (the PostgreSQL user cannot reach this checkout's .data/)"
        yield DatabaseUrls(server, owner, described + " (set NEON_DATABASE_URL to use Neon)")
    finally:
        embedded.stop()


def database_engine(urls: DatabaseUrls, connect_timeout: int, pool_size: int) -> Iterator[Engine]:
    """The request pool: `pool_size` connections at most, this worker's share of the budget
    (connection_budget.py)."""
    engine = create_database_engine(
        urls.serving, pool_size=pool_size, connect_timeout=connect_timeout
    )
    try:
        yield engine
    finally:
        engine.dispose()


def probe_engine(urls: DatabaseUrls) -> Iterator[Engine]:
    """A small pool of its own for /health/ready, so that it answers within its bound even
    while every request connection is busy or stuck (then, 503 within 3 s)."""
    engine = create_database_engine(
        urls.serving, pool_size=PROBE_POOL_SIZE, connect_timeout=PROBE_CONNECT_TIMEOUT_SECONDS
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


def schema_preparer(urls: DatabaseUrls) -> Callable[[], None]:
    """Migrate to the newest schema as the owner, granting the serving role what it needs;
    warn if the serving role would bypass row-level security."""

    def prepare() -> None:
        role = serving_role(urls.serving)
        upgrade_to_head(urls.migration, grant_to=role.name)
        if role.owns_schema and urls.migration != urls.serving:
            logger.warning(
                "the serving role %s owns the schema: MIGRATION_DATABASE_URL should name the "
                "owner and NEON_DATABASE_URL another role (README: 'Two roles')",
                role.name,
            )
        if role.bypasses_row_security:
            logger.warning(
                "connected as a superuser or BYPASSRLS role: row-level security does not "
                "apply to it; serve as an ordinary role instead (see README)"
            )

    return prepare
