"""Bring a database's schema to the newest migration (`make migrate`; the service also does it
when it starts). Runs in one transaction on a connection of its own, not the serving pool's:
that pool is in autocommit mode, and DDL must be all or nothing."""

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from adapters.postgres.engine import CONNECT_TIMEOUT_SECONDS, normalize_url

logger = logging.getLogger("todo.migrate")

MIGRATIONS = Path(__file__).parent / "migrations"
# Held for the migration's transaction, so several processes starting at once migrate in turn.
_LOCK_ID = 0x7D0_5E1


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_to_head(url: str) -> None:
    engine = create_engine(
        normalize_url(url),
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()
    logger.info("database schema is at the newest migration")
