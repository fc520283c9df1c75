"""/openapi.json documents every route, its error answers and its request bodies; /docs serves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from domain.todo import title_error

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


@pytest.mark.header_mode
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
    # Examples in the text, not as `example`: Swagger UI would prefill them into "Try it out".
    assert len(organizing) == 4 and all("e.g. `" in p["description"] for p in organizing)
    assert not any("example" in p or "examples" in p for p in parameters)
    body = schema["paths"]["/api/v1/todos"]["post"]["requestBody"]["content"]["application/json"]
    assert {"priority", "tags", "due_at"} <= set(body["example"])
    tags = schema["paths"]["/api/v1/tags"]["get"]["responses"]["200"]
    assert tags["content"]["application/json"]["schema"]


def test_the_interactive_docs_are_served(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/openapi.json" in response.text


def test_the_document_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate(schema)  # openapi-spec-validator: raises on the first problem


def _examples(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example the document gives: an `example` beside a
    `schema` (media types, parameters, headers), and a schema's own `examples` list."""
    if isinstance(node, dict):
        if "schema" in node and "example" in node:
            yield where, node["schema"], node["example"]
        if isinstance(node.get("examples"), list) and "properties" in node:
            for example in node["examples"]:
                yield where, node, example
        for key, value in node.items():
            yield from _examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{where}/{index}")


def test_every_example_is_valid_against_its_schema(schema: dict[str, Any]) -> None:
    examples = list(_examples(schema))

    assert len(examples) >= 15  # bodies, errors, schemas, headers
    for where, example_schema, example in examples:
        # The document's components beside the schema, so that its $refs resolve.
        validator = Draft202012Validator(
            {**example_schema, "components": schema["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = [error.message for error in validator.iter_errors(example)]
        assert not errors, (where, example, errors)


def test_the_length_limits_are_declared(schema: dict[str, Any]) -> None:
    bodies = [
        schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        for path, method in [("/api/v1/todos", "post"), ("/api/v1/todos/{todo_id}", "patch")]
    ]
    todo_out = schema["components"]["schemas"]["TodoOut"]

    for body in [*bodies, todo_out]:
        title = body["properties"]["title"]
        description = body["properties"]["description"]
        assert title["minLength"] == 1
        strings = [b for b in description.get("anyOf", [description]) if b.get("type") == "string"]
        assert [s["maxLength"] for s in strings] == [2000]


@pytest.mark.parametrize(
    ("title", "valid"),
    [
        ("Buy milk", True),
        ("  padded  ", True),
        ("x" * 255, True),
        ("\u3000" + "x" * 255 + "\n", True),
        ("", False),
        ("   ", False),
        ("\u2003\t", False),
        ("x" * 256, False),
        ("a\x00b", False),
    ],
)
def test_the_title_pattern_says_exactly_which_titles_are_accepted(
    schema: dict[str, Any], title: str, valid: bool
) -> None:
    body = schema["paths"]["/api/v1/todos"]["post"]["requestBody"]["content"]["application/json"]
    title_schema = body["schema"]["properties"]["title"]

    assert Draft202012Validator(title_schema).is_valid(title) is valid
    assert title_error(title)[1] is None if valid else title_error(title)[1] is not None


# Response headers a client reads, by operation and status.
DECLARED_HEADERS = {
    ("/api/v1/todos", "post", "201"): {"ETag", "Location", "X-Request-ID"},
    ("/api/v1/todos/{todo_id}", "get", "200"): {"ETag", "X-Request-ID"},
    ("/api/v1/todos/{todo_id}", "get", "304"): {"ETag", "X-Request-ID"},
    ("/api/v1/todos/{todo_id}", "patch", "200"): {"ETag", "X-Request-ID"},
    ("/api/v1/todos", "get", "503"): {"Retry-After", "X-Request-ID"},
    ("/health/ready", "get", "503"): {"Retry-After", "X-Request-ID"},
}


@pytest.mark.parametrize(("path", "method", "status"), list(DECLARED_HEADERS))
def test_the_response_headers_clients_read_are_declared(
    schema: dict[str, Any], path: str, method: str, status: str
) -> None:
    headers = schema["paths"][path][method]["responses"][status]["headers"]

    assert DECLARED_HEADERS[(path, method, status)] <= set(headers)
    for name in headers:
        assert schema["components"]["headers"][name]["schema"]["type"] == "string"


def test_every_response_declares_its_request_id(schema: dict[str, Any]) -> None:
    responses = [
        response
        for item in schema["paths"].values()
        for operation in item.values()
        for response in operation["responses"].values()
    ]

    assert all("X-Request-ID" in response["headers"] for response in responses)


def test_head_is_served_but_not_documented_as_another_operation(schema: dict[str, Any]) -> None:
    assert not any("head" in item for item in schema["paths"].values())
