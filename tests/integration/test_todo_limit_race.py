"""The todo limit on PostgreSQL under a race that crosses from its fast path (far from the
limit: creates share a lock and never wait for each other) into its exact path (near it: one
at a time, counted exactly). See todo_slot_free() in migration 0005."""

from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

from sqlalchemy import Engine

from adapters.postgres.repository import PostgresTodoRepository
from application.errors import TodoLimitReached
from application.ports import ListQuery
from tests.contract.test_todo_repository import new_todo


def max_connections(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SHOW max_connections").scalar_one())


def test_concurrent_creates_from_far_below_the_limit_stop_exactly_at_it(
    postgres_engine: Engine,
) -> None:
    limit = max_connections(postgres_engine) + 20  # the first 20 take the fast path
    repository = PostgresTodoRepository(postgres_engine)
    user = uuid4()

    def create(n: int) -> bool:
        try:
            repository.add(user, new_todo(user, n), None, limit)
        except TodoLimitReached:
            return False
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        stored = list(pool.map(create, range(limit + 40)))
    assert sum(stored) == limit
    assert repository.list(user, ListQuery(limit=1)).count == limit
