"""/openapi.json in bearer mode: an HTTP bearer security scheme on every /api/v1 operation (so
/docs has an "Authorize" button), no X-User-ID parameter, and 401 answers that declare
WWW-Authenticate. Header mode keeps the X-User-ID parameter and declares no scheme."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.apps import memory_app


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def _operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, op) for path, item in schema["paths"].items() for op in item.values()]


def test_the_schema_declares_an_http_bearer_scheme(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]

    assert list(schemes.values()) == [
        {**next(iter(schemes.values())), "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    ]


def test_every_todo_operation_requires_the_bearer_scheme_and_not_the_header(
    schema: dict[str, Any],
) -> None:
    (name,) = schema["components"]["securitySchemes"]
    todo_operations = [op for path, op in _operations(schema) if path.startswith("/api/v1/")]

    assert len(todo_operations) >= 5
    for operation in todo_operations:
        assert operation["security"] == [{name: []}]
        assert "x-user-id" not in {p["name"].lower() for p in operation.get("parameters", [])}
        unauthorized = operation["responses"]["401"]
        assert "WWW-Authenticate" in unauthorized["headers"]
        assert unauthorized["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorEnvelope"
        }


def test_health_and_readiness_need_no_token(schema: dict[str, Any]) -> None:
    for path, operation in _operations(schema):
        if path.startswith("/health"):
            assert "security" not in operation
            assert "401" not in operation["responses"]


def test_the_docs_page_serves_in_bearer_mode(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200


def test_header_mode_declares_no_security_scheme() -> None:
    with TestClient(memory_app()) as client:
        schema = client.get("/openapi.json").json()

    assert "securitySchemes" not in schema.get("components", {})
    for path, operation in _operations(schema):
        assert "security" not in operation
        if path.startswith("/api/v1/"):
            assert "x-user-id" in {p["name"].lower() for p in operation["parameters"]}
