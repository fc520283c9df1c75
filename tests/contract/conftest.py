"""The TodoRepository contract suite runs once per adapter: add an adapter, add a param."""

import pytest
from sqlalchemy import Engine

from adapters.memory import InMemoryTodoRepository
from adapters.postgres.repository import PostgresTodoRepository
from application.ports import TodoRepository


@pytest.fixture(params=["memory", "postgres", "pgbouncer"])
def repository(request: pytest.FixtureRequest) -> TodoRepository:
    if request.param == "memory":
        return InMemoryTodoRepository()
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return PostgresTodoRepository(engine)
