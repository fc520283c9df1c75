"""A role to serve as, and a database it owns, on a server we administer (the embedded one,
and the tests' servers). The role is no superuser and cannot bypass row-level security:
superusers ignore every policy, even a FORCEd one, so the service must never connect as one."""

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url


def ensure_owner_database(admin_url: str, role: str, database: str) -> str:
    """Create `role` and `database` (owned by it) if missing; the URL to connect as the role."""
    connection = psycopg2.connect(admin_url, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(
                        sql.Identifier(role)
                    )
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(database), sql.Identifier(role)
                    )
                )
    finally:
        connection.close()
    url = make_url(admin_url).set(username=role, password=None, database=database)
    return url.render_as_string(hide_password=False)


def bypasses_row_security(connection: "psycopg2.extensions.connection") -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])
