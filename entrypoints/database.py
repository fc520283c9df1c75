"""Resources the container manages for the PostgreSQL adapter: the embedded default server
and the migrated engine. Each yields its value and cleans up when the app shuts down."""

import logging
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from adapters.postgres.embedded import start_embedded
from adapters.postgres.engine import create_database_engine
from adapters.postgres.migrate import upgrade_to_head

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


def migrated_engine(url: str) -> Iterator[Engine]:
    upgrade_to_head(url)
    engine = create_database_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
