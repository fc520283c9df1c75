"""The serving role owns nothing: row-level security binds it without relying on FORCE, and
it cannot lift a policy, change the schema or touch the migration bookkeeping. (When the
serving role owned the tables, `ALTER TABLE todos NO FORCE ROW LEVEL SECURITY` in a
transaction made every user's rows visible to it.)"""

from collections.abc import Iterator
from uuid import uuid4

import psycopg2
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import NewTodo, TodoService

ESCAPES = [
    "ALTER TABLE todos NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE todos DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE users DISABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS todos_of_current_user ON todos",
    "ALTER TABLE todos OWNER TO CURRENT_USER",
    "CREATE TABLE planted (id int)",
    "DROP TABLE todo_counts",
    "TRUNCATE todos",
    "UPDATE alembic_version SET version_num = version_num",
    "CREATE POLICY everything ON todos USING (true)",
]


@pytest.fixture
def serving(postgres_url: URL) -> Iterator["psycopg2.extensions.connection"]:
    connection = psycopg2.connect(postgres_url.render_as_string(hide_password=False))
    yield connection
    connection.close()


@pytest.mark.parametrize("statement", ESCAPES)
def test_the_serving_role_cannot_lift_row_level_security_or_change_the_schema(
    serving: "psycopg2.extensions.connection", statement: str
) -> None:
    with serving.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute(statement)
    serving.rollback()


def test_every_user_stays_invisible_after_an_attempt_to_lift_the_policy(
    serving: "psycopg2.extensions.connection", postgres_engine: Engine
) -> None:
    TodoService(PostgresTodoRepository(postgres_engine)).create(uuid4(), NewTodo("private"))
    with serving.cursor() as cursor:
        try:
            cursor.execute("ALTER TABLE todos NO FORCE ROW LEVEL SECURITY")
        except psycopg2.errors.InsufficientPrivilege:
            serving.rollback()
        cursor.execute("SELECT count(*) FROM todos")
        assert cursor.fetchone() == (0,)
    serving.rollback()


def test_the_serving_role_owns_no_table(serving: "psycopg2.extensions.connection") -> None:
    with serving.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            " AND tableowner = current_user"
        )
        assert cursor.fetchone() == (0,)
    serving.rollback()
