"""Against Neon every round trip is a network hop: each operation sends one statement."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.support.apps import postgres_app


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.statements.append(statement)

    def take(self) -> list[str]:
        taken, self.statements = self.statements, []
        return taken


@pytest.fixture
def counter(postgres_engine: Engine) -> Iterator[StatementCounter]:
    counting = StatementCounter()
    event.listen(postgres_engine, "before_cursor_execute", counting)
    yield counting
    event.remove(postgres_engine, "before_cursor_execute", counting)


@pytest.fixture
def client(postgres_engine: Engine) -> Iterator[TestClient]:
    with TestClient(postgres_app(postgres_engine)) as client:
        yield client


def test_each_endpoint_sends_exactly_one_statement(
    client: TestClient, counter: StatementCounter
) -> None:
    headers = {"X-User-ID": str(uuid4())}
    client.get("/api/v1/todos", headers=headers)  # warm the pool: a new connection may query
    counter.take()

    created = client.post("/api/v1/todos", json={"title": "a"}, headers=headers)
    assert created.status_code == 201
    todo = f"/api/v1/todos/{created.json()['id']}"
    keyed = {**headers, "Idempotency-Key": "k-1"}
    calls = {
        "create": lambda: client.post("/api/v1/todos", json={"title": "b"}, headers=headers),
        "create with key": lambda: client.post("/api/v1/todos", json={"title": "c"}, headers=keyed),
        "replay of key": lambda: client.post("/api/v1/todos", json={"title": "c"}, headers=keyed),
        "list": lambda: client.get("/api/v1/todos?is_completed=false&limit=1", headers=headers),
        "get": lambda: client.get(todo, headers=headers),
        "update": lambda: client.patch(todo, json={"is_completed": True}, headers=headers),
        "conditional update": lambda: client.patch(
            todo, json={"title": "x"}, headers={**headers, "If-Match": '"2"'}
        ),
        "delete": lambda: client.delete(todo, headers={**headers, "If-Match": '"3"'}),
    }
    counter.take()
    for name, call in calls.items():
        response = call()
        assert response.status_code < 300, (name, response.json())
        assert len(counter.take()) == 1, name


def test_health_ready_sends_one_statement_and_health_none(
    client: TestClient, counter: StatementCounter
) -> None:
    assert client.get("/health/ready").status_code == 200
    counter.take()
    client.get("/health/ready")
    assert len(counter.take()) == 1
    client.get("/health")
    assert counter.take() == []
