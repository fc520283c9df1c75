"""The per-user counts cost O(N) for a statement that touches N todos (migration 0005): a bulk
insert, a bulk update and the ON DELETE CASCADE of a heavy user take seconds, not minutes. On
0004's row-level trigger, 200,000 rows in one statement took 9 min 10 s."""

import time
from uuid import UUID, uuid4

from sqlalchemy import Engine

from adapters.postgres.repository import PostgresTodoRepository
from application.ports import ListQuery

AS_USER = "SELECT set_config('app.user_id', %(user)s, true); "
HEAVY = 200_000
# A bound, not a measurement (bench --size has the figures): about 2 s on a quiet 2-core
# machine, 39 s while other test runs and benchmarks shared it; the old row trigger took 9 min.
BULK_SECONDS = 120.0

INSERT_MANY = (
    AS_USER + "INSERT INTO todos (user_id, id, title, title_key, is_completed, completed_at,"
    " created_at, updated_at)"
    " SELECT %(user)s, gen_random_uuid(), 'bulk ' || n, 'bulk ' || n, n %% 4 = 0,"
    " CASE WHEN n %% 4 = 0 THEN now() END, now(), now()"
    " FROM generate_series(1, %(n)s) AS n"
)


def timed(engine: Engine, statement: str, user: str, **params: object) -> float:
    started = time.monotonic()
    with engine.connect() as connection:
        connection.exec_driver_sql(statement, {"user": user, **params})
    return time.monotonic() - started


def counts(engine: Engine, user: str) -> tuple[int, int]:
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            AS_USER + "SELECT coalesce(sum(total), 0), coalesce(sum(completed), 0)"
            " FROM todo_counts",
            {"user": user},
        ).one()
    return int(row[0]), int(row[1])


def test_a_heavy_user_is_inserted_updated_and_deleted_in_seconds(postgres_engine: Engine) -> None:
    user = str(uuid4())
    with postgres_engine.connect() as connection:
        connection.exec_driver_sql(
            AS_USER + "INSERT INTO users (id) VALUES (%(user)s)", {"user": user}
        )

    assert timed(postgres_engine, INSERT_MANY, user, n=HEAVY) < BULK_SECONDS
    assert counts(postgres_engine, user) == (HEAVY, HEAVY // 4)
    page = PostgresTodoRepository(postgres_engine).list(UUID(user), ListQuery(limit=1))
    assert page.count == HEAVY

    complete_all = AS_USER + (
        "UPDATE todos SET is_completed = true, completed_at = coalesce(completed_at, now())"
        " WHERE user_id = %(user)s"
    )
    assert timed(postgres_engine, complete_all, user) < BULK_SECONDS
    assert counts(postgres_engine, user) == (HEAVY, HEAVY)

    delete_user = AS_USER + "DELETE FROM users WHERE id = %(user)s"
    assert timed(postgres_engine, delete_user, user) < BULK_SECONDS
    with postgres_engine.connect() as connection:
        left = connection.exec_driver_sql(
            AS_USER + "SELECT (SELECT count(*) FROM todos), (SELECT count(*) FROM todo_counts)",
            {"user": user},
        ).one()
    assert tuple(left) == (0, 0)


def test_deleting_several_todos_in_one_statement_counts_each(postgres_engine: Engine) -> None:
    user = str(uuid4())
    with postgres_engine.connect() as connection:
        connection.exec_driver_sql(
            AS_USER + "INSERT INTO users (id) VALUES (%(user)s)", {"user": user}
        )
    timed(postgres_engine, INSERT_MANY, user, n=10)
    delete_some = AS_USER + "DELETE FROM todos WHERE title IN ('bulk 1', 'bulk 4', 'bulk 8')"
    timed(postgres_engine, delete_some, user)
    assert counts(postgres_engine, user) == (7, 0)  # 4 and 8 were the completed ones
