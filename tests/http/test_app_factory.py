"""Apps built by the factory are independent: each serves from its own container."""

from uuid import uuid4

from fastapi.testclient import TestClient

from tests.support.apps import memory_app


def test_two_apps_in_one_process_keep_their_own_todos() -> None:
    user = {"X-User-ID": str(uuid4())}
    with TestClient(memory_app()) as first, TestClient(memory_app()) as second:
        assert first.post("/api/v1/todos", json={"title": "a"}, headers=user).status_code == 201
        assert second.get("/api/v1/todos", headers=user).json()["count"] == 0
        assert first.get("/api/v1/todos", headers=user).json()["count"] == 1
