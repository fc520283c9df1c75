"""The per-user counts that lists answer are kept by the database, on every write path."""

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

from sqlalchemy import Engine

from adapters.postgres.repository import PostgresTodoRepository
from application.ports import ListQuery
from application.todo_service import NewTodo, TodoService
from domain.todo import TodoChanges

AS_USER = "SELECT set_config('app.user_id', %(user)s, true); "


def counts(engine: Engine, user: UUID) -> tuple[int, int]:
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            AS_USER + "SELECT sum(total), sum(completed) FROM todo_counts", {"user": str(user)}
        ).one()
    return row[0], row[1]


def test_counts_follow_creates_completions_and_deletes(postgres_engine: Engine) -> None:
    service = TodoService(PostgresTodoRepository(postgres_engine))
    user = uuid4()
    todos = [service.create(user, NewTodo(f"t{n}", is_completed=n == 0)) for n in range(4)]
    assert counts(postgres_engine, user) == (4, 1)
    service.update(user, todos[1].id, TodoChanges(is_completed=True), None)
    service.update(user, todos[1].id, TodoChanges(title="same completion"), None)
    assert counts(postgres_engine, user) == (4, 2)
    service.delete(user, todos[0].id, None)
    assert counts(postgres_engine, user) == (3, 1)
    assert service.list(user, ListQuery(is_completed=False, limit=1)).count == 2


def test_counts_hold_when_todos_are_changed_outside_the_service(postgres_engine: Engine) -> None:
    service = TodoService(PostgresTodoRepository(postgres_engine))
    user = uuid4()
    for n in range(3):
        service.create(user, NewTodo(f"t{n}"))
    with postgres_engine.connect() as connection:
        connection.exec_driver_sql(
            AS_USER + "UPDATE todos SET is_completed = true, completed_at = now()"
            " WHERE title = 't0'",
            {"user": str(user)},
        )
        connection.exec_driver_sql(
            AS_USER + "DELETE FROM todos WHERE title = 't1'", {"user": str(user)}
        )
    assert counts(postgres_engine, user) == (2, 1)
    listed = service.list(user, ListQuery(is_completed=True))
    assert (listed.count, [t.title for t in listed.items]) == (1, ["t0"])


def test_concurrent_writers_for_one_user_keep_the_count_exact(postgres_engine: Engine) -> None:
    service = TodoService(PostgresTodoRepository(postgres_engine))
    user = uuid4()

    def create_then_maybe_delete(n: int) -> None:
        todo = service.create(user, NewTodo(f"t{n}", is_completed=n % 3 == 0))
        if n % 4 == 0:
            service.delete(user, todo.id, None)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(create_then_maybe_delete, range(200)))
    kept = [n for n in range(200) if n % 4]
    assert counts(postgres_engine, user) == (len(kept), sum(n % 3 == 0 for n in kept))
    assert service.list(user, ListQuery(limit=1)).count == len(kept)
