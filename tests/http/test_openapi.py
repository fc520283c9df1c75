"""/openapi.json documents every route, its error answers and its request bodies; /docs serves."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

ENVELOPE = "#/components/schemas/ErrorEnvelope"
TODO_OPERATIONS = [
    ("/api/v1/todos", "post"),
    ("/api/v1/todos", "get"),
    ("/api/v1/todos/{todo_id}", "get"),
    ("/api/v1/todos/{todo_id}", "patch"),
    ("/api/v1/todos/{todo_id}", "delete"),
]
DOCUMENTED_ERRORS = {
    ("/api/v1/todos", "post"): {"400", "413", "415", "422", "500", "503"},
    ("/api/v1/todos", "get"): {"400", "422", "500", "503"},
    ("/api/v1/todos/{todo_id}", "get"): {"400", "404", "500", "503"},
    ("/api/v1/todos/{todo_id}", "patch"): {"400", "404", "412", "413", "415", "422", "500", "503"},
    ("/api/v1/todos/{todo_id}", "delete"): {"400", "404", "412", "500", "503"},
}


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_the_schema_lists_the_five_todo_operations_and_the_health_routes(
    schema: dict[str, Any],
) -> None:
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}

    v1_2 = {("/api/v1/tags", "get")}
    assert (
        operations == set(TODO_OPERATIONS) | {("/health", "get"), ("/health/ready", "get")} | v1_2
    )


@pytest.mark.parametrize(("path", "method"), TODO_OPERATIONS)
def test_each_todo_operation_documents_its_errors_with_the_envelope(
    schema: dict[str, Any], path: str, method: str
) -> None:
    responses = schema["paths"][path][method]["responses"]

    errors = {status for status in responses if status.startswith(("4", "5"))}
    assert DOCUMENTED_ERRORS[(path, method)] <= errors
    for status in errors:
        content = responses[status]["content"]["application/json"]
        assert content["schema"] == {"$ref": ENVELOPE}, (status, content)


def test_the_error_envelope_schema_has_the_contracts_fields(schema: dict[str, Any]) -> None:
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]

    assert {"detail", "error_code", "field_errors"} <= set(envelope["properties"])
    assert {"detail", "error_code"} <= set(envelope["required"])
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_readiness_documents_service_unavailable(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/health/ready"]["get"]["responses"]

    assert responses["503"]["content"]["application/json"]["schema"] == {"$ref": ENVELOPE}


@pytest.mark.parametrize(
    ("path", "method"), [("/api/v1/todos", "post"), ("/api/v1/todos/{todo_id}", "patch")]
)
def test_post_and_patch_document_a_json_body_with_an_example(
    schema: dict[str, Any], path: str, method: str
) -> None:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]

    assert isinstance(body["example"], dict) and body["example"]
    fields = {"title", "description", "is_completed", "priority", "tags", "due_at"}  # v1.2
    assert set(body["example"]) <= fields
    assert set(body["schema"]["properties"]) == fields
    assert body["schema"].get("additionalProperties") is False


def test_post_body_requires_a_title(schema: dict[str, Any]) -> None:
    body = schema["paths"]["/api/v1/todos"]["post"]["requestBody"]["content"]["application/json"]

    assert body["schema"]["required"] == ["title"]
    assert "title" in body["example"]


@pytest.mark.parametrize(("path", "method"), TODO_OPERATIONS)
def test_each_todo_operation_documents_the_required_user_header(
    schema: dict[str, Any], path: str, method: str
) -> None:
    parameters = {p["name"].lower(): p for p in schema["paths"][path][method]["parameters"]}

    assert parameters["x-user-id"]["in"] == "header"
    assert parameters["x-user-id"]["required"] is True
    if "{todo_id}" in path:
        assert parameters["todo_id"]["in"] == "path"
        assert parameters["todo_id"]["schema"]["format"] == "uuid"


def test_the_list_documents_its_query_parameters(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/todos"]["get"]["parameters"]

    query = {p["name"] for p in parameters if p["in"] == "query"}
    v1_2 = {"priority", "tags", "due_before", "due_after", "q", "sort"}
    assert query == {"is_completed", "limit", "cursor"} | v1_2


def test_the_v1_2_query_parameters_and_fields_carry_examples(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/todos"]["get"]["parameters"]
    organizing = [p for p in parameters if p["name"] in {"priority", "tags", "due_before", "q"}]
    assert len(organizing) == 4 and all(p.get("example") for p in organizing)
    body = schema["paths"]["/api/v1/todos"]["post"]["requestBody"]["content"]["application/json"]
    assert {"priority", "tags", "due_at"} <= set(body["example"])
    tags = schema["paths"]["/api/v1/tags"]["get"]["responses"]["200"]
    assert tags["content"]["application/json"]["schema"]


def test_the_interactive_docs_are_served(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/openapi.json" in response.text
