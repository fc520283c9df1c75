"""Apps built by the factory are independent: each serves from its own container; and each
runs its routes on as many threads as its request pool has connections."""

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

from dependency_injector import providers
from fastapi.testclient import TestClient

from adapters.memory import InMemoryTodoRepository
from domain.todo import Todo
from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app
from tests.support.apps import memory_app
from tests.support.live_server import uvicorn_server


def test_two_apps_in_one_process_keep_their_own_todos() -> None:
    user = {"X-User-ID": str(uuid4())}
    with TestClient(memory_app()) as first, TestClient(memory_app()) as second:
        assert first.post("/api/v1/todos", json={"title": "a"}, headers=user).status_code == 201
        assert second.get("/api/v1/todos", headers=user).json()["count"] == 0
        assert first.get("/api/v1/todos", headers=user).json()["count"] == 1


class _SlowGets(InMemoryTodoRepository):
    """Holds each get for a while, counting how many threads are inside at once."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = self.most_inside = 0
        self._lock = threading.Lock()

    def get(self, user_id: UUID, todo_id: UUID) -> Todo | None:
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        time.sleep(0.3)
        with self._lock:
            self.inside -= 1
        return None


def test_routes_run_on_as_many_threads_as_the_worker_has_request_connections() -> None:
    # 2 workers sharing 8 connections: each has 2 for /health/ready and 2 for requests, so a
    # third thread would wait for a connection the first two hold, and time out into a 503.
    settings = Settings(workers=2, database_max_connections=8)
    container = build_container(settings, storage="memory")
    repository = _SlowGets()
    container.repository.override(providers.Object(repository))
    with uvicorn_server(create_app(settings, container)) as base:

        def get_one(_: int) -> int:
            request = urllib.request.Request(
                f"{base}/api/v1/todos/{uuid4()}", headers={"X-User-ID": str(uuid4())}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(8) as clients:
            statuses = list(clients.map(get_one, range(8)))
    assert statuses == [404] * 8
    assert repository.most_inside == settings.worker_pools.requests == 2
