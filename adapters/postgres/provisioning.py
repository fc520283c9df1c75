"""Roles on a server we administer (the embedded one, the tests' servers), and what the
service needs to know about the role it serves as.

Two roles, as on Neon with least privilege: an owner that owns the database and its schema and
runs migrations, and a serving role that owns nothing and is granted only row access
(migrate.py grants it). Neither is a superuser or BYPASSRLS: those ignore every row-level
security policy, even a FORCEd one."""

from dataclasses import dataclass

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url

from adapters.postgres.connect_errors import unavailable

_ROLE = "CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"


def ensure_roles(admin_url: str, owner: str, server: str, database: str) -> tuple[str, str]:
    """Create the roles and `database` (owned by `owner`) if missing; their URLs."""
    connection = psycopg2.connect(admin_url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for role in (owner, server):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
                if cursor.fetchone() is None:
                    cursor.execute(sql.SQL(_ROLE).format(sql.Identifier(role)))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(database), sql.Identifier(owner)
                    )
                )
    finally:
        connection.close()
    admin = make_url(admin_url)
    return tuple(  # type: ignore[return-value]
        admin.set(username=role, password=None, database=database).render_as_string(
            hide_password=False
        )
        for role in (owner, server)
    )


@dataclass(frozen=True)
class ServingRole:
    name: str
    owns_schema: bool
    bypasses_row_security: bool


def serving_role(url: str) -> ServingRole:
    """Who `url` connects as. RepositoryUnavailable if the database cannot be reached."""
    try:
        connection = psycopg2.connect(url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise unavailable(error) from error
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, rolsuper OR rolbypassrls,"
                " pg_has_role(current_user, (SELECT nspowner FROM pg_namespace"
                "   WHERE nspname = current_schema()), 'USAGE')"
                " FROM pg_roles WHERE rolname = current_user"
            )
            name, bypasses, owns = cursor.fetchone()
    finally:
        connection.close()
    return ServingRole(name, bool(owns), bool(bypasses))
