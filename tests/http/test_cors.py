"""CORS: off unless CORS_ALLOW_ORIGINS is set; then preflights and actual responses (errors
included) carry the contract's headers for an allowed origin, and nothing for another."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NoReturn

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from todo_api import TODOS, assert_error, create_todo, headers, post_raw, todo_url

from entrypoints.config import Settings
from tests.support.apps import memory_app, postgres_app

FRONTEND = "http://localhost:3000"
ELSEWHERE = "https://evil.example"
SOME_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"
ASKED_HEADERS = (
    "authorization, content-type, x-user-id, if-match, if-none-match, idempotency-key, x-request-id"
)
EXPOSED = {"etag", "location", "retry-after", "x-request-id"}

AppFactory = Callable[[], FastAPI]


def _tokens(value: str) -> set[str]:
    return {token.strip().lower() for token in value.split(",") if token.strip()}


@pytest.fixture
def cors_factory(request: pytest.FixtureRequest, app_factory: AppFactory) -> AppFactory:
    """Builds the app of `app_factory`'s adapter with CORS for FRONTEND and a second origin."""
    settings = Settings(cors_allow_origins=f"{FRONTEND}, https://app.example.com")
    if app_factory is memory_app:
        return lambda: memory_app(settings)
    engine = request.getfixturevalue("postgres_engine")
    return lambda: postgres_app(engine, settings)


@pytest.fixture
def cors_client(cors_factory: AppFactory) -> Iterator[TestClient]:
    with TestClient(cors_factory(), raise_server_exceptions=False) as client:
        yield client


def _preflight(client: TestClient, origin: str, method: str = "PATCH") -> httpx2.Response:
    return client.options(
        todo_url(SOME_ID),
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": ASKED_HEADERS,
        },
    )


def test_a_preflight_from_an_allowed_origin_admits_the_contracts_methods_and_headers(
    cors_client: TestClient,
) -> None:
    response = _preflight(cors_client, FRONTEND)

    assert 200 <= response.status_code < 300
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    methods = _tokens(response.headers["Access-Control-Allow-Methods"])
    assert {"get", "head", "post", "patch", "delete"} <= methods
    assert _tokens(ASKED_HEADERS) <= _tokens(response.headers["Access-Control-Allow-Headers"])
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_preflight_carries_a_request_id_like_every_response(cors_client: TestClient) -> None:
    response = _preflight(cors_client, FRONTEND)

    assert response.headers["X-Request-ID"]


def test_an_actual_response_to_an_allowed_origin_exposes_the_headers_clients_read(
    cors_client: TestClient, user: str
) -> None:
    response = cors_client.post(TODOS, json={"title": "x"}, headers=headers(user, origin=FRONTEND))

    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert _tokens(response.headers["Access-Control-Expose-Headers"]) == EXPOSED
    assert "origin" in _tokens(response.headers["Vary"])


class ExplodingService:
    def _explode(self, *args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("a bug")

    create = list = get = update = delete = _explode


def test_error_answers_to_an_allowed_origin_carry_cors_headers_too(
    cors_factory: AppFactory, user: str
) -> None:
    app: FastAPI = cors_factory()
    with TestClient(app, raise_server_exceptions=False) as client:
        origin = headers(user, origin=FRONTEND)
        errors = {
            400: client.get(TODOS, headers=headers(None, origin=FRONTEND)),
            404: client.get("/nope", headers=origin),
            405: client.put(TODOS, headers=origin),
            412: client.delete(
                todo_url(create_todo(client, user)["id"]), headers={**origin, "If-Match": '"9"'}
            ),
            413: post_raw(client, user, b"{" + b" " * 70_000 + b"}", origin=FRONTEND),
            415: post_raw(client, user, "{}", "text/plain", origin=FRONTEND),
            422: client.post(TODOS, json={}, headers=origin),
        }
        with app.state.container.todo_service.override(ExplodingService()):
            errors[500] = client.get(todo_url(SOME_ID), headers=origin)

    for status, response in errors.items():
        assert response.status_code == status, response.text
        assert response.headers["Access-Control-Allow-Origin"] == FRONTEND, status
        assert _tokens(response.headers["Access-Control-Expose-Headers"]) == EXPOSED, status


def test_another_origin_gets_no_allow_origin_on_answers_or_preflights(
    cors_client: TestClient, user: str
) -> None:
    answer = cors_client.get(TODOS, headers=headers(user, origin=ELSEWHERE))
    preflight = _preflight(cors_client, ELSEWHERE)

    assert answer.status_code == 200
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert_error(preflight, 405, "METHOD_NOT_ALLOWED")


def test_a_preflight_for_a_method_the_api_does_not_take_is_refused_in_the_envelope(
    cors_client: TestClient,
) -> None:
    response = _preflight(cors_client, FRONTEND, method="PUT")

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_is_off_when_no_origin_is_configured(client: TestClient, user: str) -> None:
    answer = client.get(TODOS, headers=headers(user, origin=FRONTEND))
    preflight = _preflight(client, FRONTEND)

    assert answer.status_code == 200
    assert not any(name.lower().startswith("access-control-") for name in answer.headers)
    assert_error(preflight, 405, "METHOD_NOT_ALLOWED")
    assert not any(name.lower().startswith("access-control-") for name in preflight.headers)


def test_a_star_allows_every_origin(user: str) -> None:
    with TestClient(memory_app(Settings(cors_allow_origins="*"))) as client:
        answer = client.get(TODOS, headers=headers(user, origin=ELSEWHERE))
        preflight = _preflight(client, ELSEWHERE)

    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "value", ["http://localhost:3000/", "localhost:3000", "https://a.example/app", "*, ftp//x"]
)
def test_a_value_that_is_not_a_list_of_origins_is_refused_naming_the_variable(
    value: str,
) -> None:
    with pytest.raises(ValidationError, match="cors_allow_origins"):
        Settings(cors_allow_origins=value)
