"""Unexpected failures (500) and an unreachable database (503): the envelope, never internals.
The failures are injected through the container's providers, as an adapter would raise them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, headers, todo_url

from application.ports import RepositoryUnavailable
from application.todo_service import TodoService
from tests.http.conftest import ClientFactory

SECRET = "secret dsn postgresql://admin:hunter2@db.internal:5432/todos"
SOME_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


class ExplodingService:
    """Stands in for TodoService: every use case fails with a bug."""

    def _explode(self, *args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError(SECRET)

    create = list = get = update = delete = _explode


class UnreachableRepository:
    """Stands in for a TodoRepository whose database cannot be reached."""

    def _unavailable(self, *args: object, **kwargs: object) -> NoReturn:
        try:
            raise ConnectionRefusedError(SECRET)
        except ConnectionRefusedError as cause:
            raise RepositoryUnavailable(SECRET) from cause

    add = get = list = update = delete = ping = _unavailable


def _every_todo_route(client: TestClient, user: str) -> list[httpx2.Response]:
    return [
        client.post(TODOS, json={"title": "x"}, headers=headers(user)),
        client.post(TODOS, json={"title": "x"}, headers=headers(user, idempotency_key="k")),
        client.get(TODOS, headers=headers(user)),
        client.get(TODOS, params={"limit": 2}, headers=headers(user)),
        client.get(todo_url(SOME_ID), headers=headers(user)),
        client.patch(todo_url(SOME_ID), json={"title": "y"}, headers=headers(user)),
        client.patch(todo_url(SOME_ID), json={}, headers=headers(user)),
        client.delete(todo_url(SOME_ID), headers=headers(user)),
    ]


def _assert_nothing_internal(response: httpx2.Response) -> None:
    text = response.text
    for leak in ("secret", "hunter2", "postgresql", "Traceback", "RuntimeError", 'File "'):
        assert leak not in text, text


@pytest.fixture
def lenient_client(app: FastAPI, client_factory: ClientFactory) -> Iterator[TestClient]:
    """A client that answers what the server sends even if an exception escaped the app."""
    with client_factory(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_an_unexpected_failure_is_a_server_error_without_internals(
    app: FastAPI, lenient_client: TestClient, user: str
) -> None:
    with app.state.container.todo_service.override(ExplodingService()):
        responses = _every_todo_route(lenient_client, user)

    for response in responses:
        assert_error(response, 500, "SERVER_ERROR")
        _assert_nothing_internal(response)
        assert response.headers["X-Request-ID"]


def test_the_app_answers_again_after_an_unexpected_failure(
    app: FastAPI, lenient_client: TestClient, user: str
) -> None:
    with app.state.container.todo_service.override(ExplodingService()):
        lenient_client.get(TODOS, headers=headers(user))

    response = lenient_client.get(TODOS, headers=headers(user))

    assert response.status_code == 200


def test_an_unreachable_database_is_service_unavailable_with_retry_after(
    app: FastAPI, lenient_client: TestClient, user: str
) -> None:
    service = TodoService(repository=UnreachableRepository())
    with app.state.container.todo_service.override(service):
        responses = _every_todo_route(lenient_client, user)

    for response in responses:
        assert_error(response, 503, "SERVICE_UNAVAILABLE")
        _assert_nothing_internal(response)
        assert response.headers["Retry-After"].isdigit()
        assert int(response.headers["Retry-After"]) >= 1


def test_validation_still_answers_first_when_the_database_is_down(
    app: FastAPI, lenient_client: TestClient, user: str
) -> None:
    service = TodoService(repository=UnreachableRepository())
    with app.state.container.todo_service.override(service):
        response = lenient_client.post(TODOS, json={"title": ""}, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", "title")
