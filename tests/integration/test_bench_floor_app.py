"""The raw apps of `make bench`, the floor (bench/floor_app.py) and the same-SQL reference
(bench/reference_app.py), answer the mix's five operations as the Lua script needs them: a
broken one would make its ratio meaningless, and the benchmark itself is not run by the suite.
Each runs in-process: the floor on its own table in an empty scratch database (it needs no
migration, only floor_todos.SCHEMA), the reference on the suite's migrated database as its
owner (as the benchmark connects)."""

from collections.abc import Iterator
from uuid import uuid4

import psycopg2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import URL

from bench import floor_app, floor_todos, raw_database, reference_app
from tests.support.postgres import scratch_database

TODOS = "/api/v1/todos"
# What a todo shows in the service's JSON; both apps answer with the same keys.
TODO_KEYS = {
    "id", "title", "description", "is_completed", "created_at", "updated_at", "user_id",
    "priority", "tags", "due_at", "completed_at",
}  # fmt: skip


@pytest.fixture(scope="module")
def floor_url(postgres_server_url: str) -> Iterator[str]:
    with scratch_database(postgres_server_url) as owner:
        url = owner.render_as_string(hide_password=False)
        connection = psycopg2.connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute(floor_todos.SCHEMA)
        connection.close()
        yield url


@pytest.fixture(params=["floor", "reference"])
def client(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, postgres_owner_url: URL
) -> Iterator[TestClient]:
    # Two connections, not the benchmark's 40: the suite shares the server's 100 slots.
    monkeypatch.setattr(raw_database, "POOL_SIZE", 2)
    if request.param == "floor":
        app = floor_app.app
        monkeypatch.setenv("BENCH_FLOOR_DATABASE_URL", request.getfixturevalue("floor_url"))
    else:
        app = reference_app.app
        url = postgres_owner_url.render_as_string(hide_password=False)
        monkeypatch.setenv("BENCH_REFERENCE_DATABASE_URL", url)
    with TestClient(app) as client:  # runs the lifespan: the pool opens and closes
        yield client


def test_a_raw_app_creates_gets_lists_patches_and_deletes(client: TestClient) -> None:
    user = {"X-User-ID": str(uuid4()), "X-Request-ID": "create-1"}
    created = client.post(TODOS, json={"title": "a", "description": "made by wrk"}, headers=user)
    assert created.status_code == 201
    # The Lua script reads these two from a create's answer, and the echoed request id.
    todo = created.json()
    assert set(todo) == TODO_KEYS
    assert todo["user_id"] == user["X-User-ID"]
    assert created.headers["x-request-id"] == "create-1"
    one = f"{TODOS}/{todo['id']}"
    assert client.get(one, headers=user).json() == todo

    second = client.post(TODOS, json={"title": "b"}, headers=user).json()
    listed = client.get(f"{TODOS}?limit=1", headers=user).json()
    assert [item["id"] for item in listed["items"]] == [second["id"]]  # newest first
    assert listed["count"] == 2
    assert listed["next_cursor"] is not None
    everything = client.get(TODOS, headers=user).json()
    assert [item["id"] for item in everything["items"]] == [second["id"], todo["id"]]
    assert everything["next_cursor"] is None

    patched = client.patch(one, json={"is_completed": True}, headers=user)
    assert patched.status_code == 200
    assert patched.json()["is_completed"] is True
    assert patched.json()["completed_at"] is not None

    assert client.delete(one, headers=user).status_code == 204
    assert client.get(one, headers=user).status_code == 404
    assert client.delete(one, headers=user).status_code == 404


def test_another_users_todo_is_not_found_by_a_raw_app(client: TestClient) -> None:
    owner, stranger = {"X-User-ID": str(uuid4())}, {"X-User-ID": str(uuid4())}
    todo = client.post(TODOS, json={"title": "mine"}, headers=owner).json()
    assert client.get(f"{TODOS}/{todo['id']}", headers=stranger).status_code == 404
    assert client.get(TODOS, headers=stranger).json() == {
        "items": [],
        "count": 0,
        "next_cursor": None,
    }
