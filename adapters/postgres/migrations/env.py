"""Alembic environment: run by adapters.postgres.migrate with a connection already open."""

from alembic import context

from adapters.postgres.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_server_default=True)
with context.begin_transaction():
    context.run_migrations()
