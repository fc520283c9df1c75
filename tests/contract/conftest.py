"""The TodoRepository contract suite runs once per adapter: add an adapter, add a param."""

from collections.abc import Iterator

import pytest

from adapters.memory import InMemoryTodoRepository
from application.ports import TodoRepository


@pytest.fixture(params=["memory"])
def repository(request: pytest.FixtureRequest) -> Iterator[TodoRepository]:
    if request.param == "memory":
        yield InMemoryTodoRepository()
