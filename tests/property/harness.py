"""What the properties run on: apps whose TodoService reads a controlled clock and id
generator (restarted for each example, so a failing example replays exactly), and the
checks every answer goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx2
from dependency_injector import providers
from fastapi import FastAPI
from fastapi.testclient import TestClient

from application.todo_service import TodoService
from tests.http.todo_api import CANONICAL_UUID, JSON, TIMESTAMP, assert_error, field_names
from tests.property.model import Json, etag

START = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)


class SteppingClock:
    """Never goes back. Each instant is read `repeat` times before the clock moves on, so
    todos share a created_at now and then and the list's tie-break (id desc) is exercised."""

    def __init__(self, step: timedelta = timedelta(microseconds=1001), repeat: int = 2) -> None:
        self._step = step
        self._repeat = repeat
        self.restart()

    def restart(self) -> None:
        self._now = START
        self._reads = 0

    def __call__(self) -> datetime:
        if self._reads and self._reads % self._repeat == 0:
            self._now += self._step
        self._reads += 1
        return self._now


class SeededIds:
    """UUIDs from a counter under a per-example prefix; the counter is scrambled (an odd
    multiplier mod 2**64) so that creation order and id order differ."""

    def __init__(self) -> None:
        self.restart(0)

    def restart(self, prefix: int) -> None:
        self._prefix = prefix % 2**64
        self._count = 0

    def __call__(self) -> UUID:
        self._count += 1
        scrambled = (self._count * 0x9E3779B97F4A7C15) % 2**64
        return UUID(int=(self._prefix << 64) | scrambled)


@dataclass(frozen=True)
class AppUnderTest:
    """A running app, and the clock and ids its TodoService uses."""

    name: str
    client: TestClient
    clock: SteppingClock
    ids: SeededIds

    def restart(self, prefix: int) -> None:
        """Start the clock and the ids again (ids under `prefix`), for a new example."""
        self.clock.restart()
        self.ids.restart(prefix)


def new_prefix() -> int:
    """A random id prefix: this example's ids never meet another example's."""
    return uuid4().int >> 64


def with_service(
    app: FastAPI, clock: Callable[[], datetime], new_id: Callable[[], UUID]
) -> FastAPI:
    """The app, with its container's TodoService built on this clock and id generator."""
    container = app.state.container
    container.todo_service.override(
        providers.Singleton(
            TodoService, repository=container.repository, clock=clock, new_id=new_id
        )
    )
    return app


@contextmanager
def running(
    name: str, app: FastAPI, client_for: Callable[[FastAPI], TestClient] = TestClient
) -> Iterator[AppUnderTest]:
    """`app` on a SteppingClock and SeededIds, its lifespan running while in use, driven by
    the client `client_for` makes (in bearer mode, one sending each X-User-ID as a token)."""
    clock, ids = SteppingClock(), SeededIds()
    with client_for(with_service(app, clock, ids)) as client:
        yield AppUnderTest(name, client, clock, ids)


def expect_error(
    response: httpx2.Response, status: int, error_code: str, fields: set[str] | None = None
) -> None:
    """The error envelope with this status and code; with `fields`, naming exactly those."""
    assert_error(response, status, error_code)
    if fields is not None:
        assert field_names(response) == fields, response.text
    assert "etag" not in response.headers, response.headers


def expect_todo(response: httpx2.Response, status: int, todo: Json, version: int) -> None:
    """Exactly this todo, with the strong ETag of `version`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSON)
    assert response.json() == todo
    assert response.headers["ETag"] == etag(version)


def expect_well_formed(todo: Json, user_id: str) -> None:
    assert set(todo) == {
        "id",
        "title",
        "description",
        "is_completed",
        "created_at",
        "updated_at",
        "user_id",
        "priority",
        "tags",
        "due_at",
        "completed_at",
    }, todo
    assert CANONICAL_UUID.fullmatch(todo["id"]), todo
    assert TIMESTAMP.fullmatch(todo["created_at"]) and TIMESTAMP.fullmatch(todo["updated_at"])
    assert todo["user_id"] == user_id, todo
