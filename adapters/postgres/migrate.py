"""Bring a database's schema to the newest migration (`make migrate`; the service also does it
when it starts). Runs in one transaction on a connection of its own, not the serving pool's:
that pool is in autocommit mode, and DDL must be all or nothing."""

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from adapters.postgres.connect_errors import unavailable
from adapters.postgres.engine import CONNECT_TIMEOUT_SECONDS, normalize_url
from adapters.postgres.tables import metadata
from application.ports import RepositoryUnavailable

logger = logging.getLogger("todo.migrate")

MIGRATIONS = Path(__file__).parent / "migrations"
# Held for the migration's transaction, so several processes starting at once migrate in turn.
_LOCK_ID = 0x7D0_5E1
_INSUFFICIENT_PRIVILEGE = "42501"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_to_head(url: str, grant_to: str | None = None) -> None:
    """Migrate as `url`'s role (the schema owner) and grant `grant_to`, the serving role,
    what the service needs and nothing more. RepositoryUnavailable if the database cannot be
    reached or refuses the role."""
    engine = create_engine(
        normalize_url(url),
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if grant_to is not None:
                _grant_row_access(connection, grant_to)
    except OperationalError as error:
        raise unavailable(error.orig or error) from error
    except ProgrammingError as error:
        if getattr(error.orig, "pgcode", None) != _INSUFFICIENT_PRIVILEGE:
            raise
        raise RepositoryUnavailable(
            f"this role may not migrate the schema ({str(error.orig).strip()});"
            " set MIGRATION_DATABASE_URL to the schema owner's URL"
        ) from error
    finally:
        engine.dispose()
    logger.info("database schema is at the newest migration")


def _grant_row_access(connection: Connection, role: str) -> None:
    """Schema usage and row access on the service's tables: the serving role owns nothing,
    so row-level security binds it and it cannot alter a table or a policy."""
    owner, schema = connection.execute(text("SELECT current_user, current_schema()")).one()
    if owner == role:
        return  # one role migrates and serves (only NEON_DATABASE_URL is set)
    quote = connection.dialect.identifier_preparer.quote
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}")
    tables = ", ".join(quote(table.name) for table in metadata.sorted_tables)
    connection.exec_driver_sql(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {tables} TO {quote(role)}"
    )
