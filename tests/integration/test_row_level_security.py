"""The database itself keeps users apart: with the user filter left out of a query, another
user's rows stay invisible, and rows cannot be written for another user."""

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Connection, Engine, exc

from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import NewTodo, TodoService

AS_USER = "SELECT set_config('app.user_id', %(user)s, true); "


@pytest.fixture
def connection(postgres_engine: Engine) -> Iterator[Connection]:
    with postgres_engine.connect() as connection:
        yield connection


@pytest.fixture
def alice_and_bob(postgres_engine: Engine) -> tuple[UUID, UUID]:
    service = TodoService(PostgresTodoRepository(postgres_engine))
    alice, bob = uuid4(), uuid4()
    for user in (alice, bob):
        service.create(user, NewTodo(f"todo of {user}", tags=("secret", str(user))), None)
    return alice, bob


def test_the_service_does_not_connect_as_a_role_that_bypasses_policies(
    connection: Connection,
) -> None:
    row = connection.exec_driver_sql(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).one()
    assert tuple(row) == (False, False)


def test_a_query_without_a_user_filter_sees_only_the_current_users_rows(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, _ = alice_and_bob
    rows = connection.exec_driver_sql(
        AS_USER + "SELECT DISTINCT user_id FROM todos", {"user": str(alice)}
    ).all()
    assert [row[0] for row in rows] == [alice]


def test_without_a_user_context_no_row_is_visible(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    for table in ("todos", "idempotency_keys", "users", "todo_counts", "todo_tags"):
        assert connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0


def test_a_user_sees_only_their_own_user_row(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, _ = alice_and_bob
    rows = connection.exec_driver_sql(AS_USER + "SELECT id FROM users", {"user": str(alice)})
    assert [row[0] for row in rows] == [alice]


def test_the_user_context_ends_with_its_statement(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, _ = alice_and_bob
    connection.exec_driver_sql(AS_USER + "SELECT 1", {"user": str(alice)})
    assert connection.exec_driver_sql("SELECT count(*) FROM todos").scalar() == 0


def test_another_users_rows_cannot_be_changed_or_deleted_without_the_filter(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, bob = alice_and_bob
    as_alice = {"user": str(alice)}
    connection.exec_driver_sql(AS_USER + "UPDATE todos SET title = 'mine now'", as_alice)
    connection.exec_driver_sql(AS_USER + "DELETE FROM todos", as_alice)
    left = connection.exec_driver_sql(
        AS_USER + "SELECT title FROM todos", {"user": str(bob)}
    ).scalars()
    assert list(left) == [f"todo of {bob}"]


def test_a_row_cannot_be_written_for_another_user(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, bob = alice_and_bob
    with pytest.raises(exc.ProgrammingError, match="row-level security"):
        connection.exec_driver_sql(
            AS_USER + "INSERT INTO todos (user_id, id, title, created_at, updated_at) "
            "VALUES (%(bob)s, %(id)s, 'planted', now(), now())",
            {"user": str(alice), "bob": str(bob), "id": str(uuid4())},
        )


def test_a_query_of_tag_rows_without_a_user_filter_sees_only_the_current_users(
    connection: Connection, alice_and_bob: tuple[UUID, UUID]
) -> None:
    alice, bob = alice_and_bob
    rows = connection.exec_driver_sql(
        AS_USER + "SELECT DISTINCT user_id, tag FROM todo_tags ORDER BY tag", {"user": str(alice)}
    ).all()
    assert [tuple(row) for row in rows] == [(alice, str(alice)), (alice, "secret")]
    with pytest.raises(exc.ProgrammingError, match="row-level security"):
        connection.exec_driver_sql(
            AS_USER + "INSERT INTO todo_tags (user_id, tag, todo_id)"
            " SELECT %(bob)s, 'planted', todo_id FROM todo_tags LIMIT 1",
            {"user": str(alice), "bob": str(bob)},
        )
