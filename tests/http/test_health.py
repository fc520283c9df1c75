"""/health (the process is alive, no database call) and /health/ready (the database answers)."""

from __future__ import annotations

from typing import NoReturn

from fastapi import FastAPI
from fastapi.testclient import TestClient
from todo_api import assert_error

from application.ports import RepositoryUnavailable

SECRET = "postgresql://admin:hunter2@db.internal/todos"


class UnreachableRepository:
    """A TodoRepository whose database cannot be reached; counts the calls it gets."""

    def __init__(self) -> None:
        self.calls = 0

    def _unavailable(self, *args: object, **kwargs: object) -> NoReturn:
        self.calls += 1
        raise RepositoryUnavailable(SECRET) from TimeoutError(SECRET)

    add = get = list = update = delete = ping = _unavailable


def test_health_answers_ok_without_a_user(client: TestClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_answers_ok_even_when_the_database_is_down(app: FastAPI, client: TestClient) -> None:
    repository = UnreachableRepository()
    with app.state.container.repository.override(repository):
        response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert repository.calls == 0


def test_readiness_answers_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_is_service_unavailable_when_the_database_is_down(
    app: FastAPI, client: TestClient
) -> None:
    repository = UnreachableRepository()
    with app.state.container.repository.override(repository):
        response = client.get("/health/ready")

    assert_error(response, 503, "SERVICE_UNAVAILABLE")
    assert response.headers["Retry-After"].isdigit()
    assert "hunter2" not in response.text and "postgresql" not in response.text
    assert repository.calls == 1


def test_readiness_recovers_when_the_database_is_back(app: FastAPI, client: TestClient) -> None:
    with app.state.container.repository.override(UnreachableRepository()):
        assert client.get("/health/ready").status_code == 503

    assert client.get("/health/ready").status_code == 200
