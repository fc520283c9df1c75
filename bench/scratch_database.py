"""A database of its own for each mode: created on the admin server, owned by a role that is no
superuser (so row-level security applies to the apps as in production), migrated to head, and
dropped afterwards."""

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg2
import psycopg2.extensions
from psycopg2 import sql as pgsql
from sqlalchemy.engine import make_url

from adapters.postgres.migrate import upgrade_to_head
from bench.broken import Broken
from bench.progress import log

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
OWNER_ROLE = "todo_bench_owner"


@dataclass(frozen=True)
class Scratch:
    name: str
    admin_url: str  # the admin role, in the scratch database
    owner_url: str  # the role the apps connect as
    host: str
    port: int

    def admin(self) -> psycopg2.extensions.connection:
        connection = psycopg2.connect(self.admin_url, connect_timeout=5)
        connection.autocommit = True
        return connection

    def execute(self, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
        connection = self.admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    def owner_url_via(self, host: str, port: int) -> str:
        """The apps' URL, through another address (the delay proxy)."""
        url = make_url(self.owner_url).set(host=host, port=port)
        return url.render_as_string(hide_password=False)


def _ensure_owner_role(cursor: psycopg2.extensions.cursor) -> str | None:
    """The owner role, created if missing; None when the admin may not create roles (then the
    apps connect as the admin)."""
    try:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER_ROLE,))
        if cursor.fetchone() is None:
            cursor.execute(
                pgsql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(
                    pgsql.Identifier(OWNER_ROLE)
                )
            )
    except psycopg2.Error as error:
        log(f"cannot create role {OWNER_ROLE} ({error}); the apps connect as the admin")
        return None
    return OWNER_ROLE


@contextlib.contextmanager
def scratch_database(purpose: str) -> Iterator[Scratch]:
    """A migrated scratch database named after `purpose`, dropped on the way out."""
    admin_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_ADMIN_URL
    admin_url = admin_url.replace("postgres://", "postgresql://", 1)
    parsed = make_url(admin_url)
    name = f"todo_bench_{purpose}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg2.connect(admin_url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise Broken(f"cannot reach PostgreSQL at {parsed.host}:{parsed.port}: {error}") from error
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            owner_role = _ensure_owner_role(cursor)
            create = pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name))
            if owner_role:
                create += pgsql.SQL(" OWNER {}").format(pgsql.Identifier(owner_role))
            cursor.execute(create)
        log(f"scratch database {name} on {parsed.host}:{parsed.port or 5432}")
        in_database = parsed.set(database=name)
        owner = in_database.set(username=owner_role, password=None) if owner_role else in_database
        scratch = Scratch(
            name=name,
            admin_url=in_database.render_as_string(hide_password=False),
            owner_url=owner.render_as_string(hide_password=False),
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 5432,
        )
        upgrade_to_head(scratch.owner_url)
        yield scratch
    finally:
        try:
            with admin.cursor() as cursor:
                cursor.execute(
                    pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        pgsql.Identifier(name)
                    )
                )
            log(f"dropped scratch database {name}")
        finally:
            admin.close()
