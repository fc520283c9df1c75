"""What /docs shows beyond what FastAPI infers: request bodies and query parameters that the
routes parse themselves (to keep the contract's error precedence), and every error answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from entrypoints.http.inputs import MAX_LIST_LIMIT
from entrypoints.http.schemas import ErrorEnvelope


def _error(description: str, code: str, field: str | None = None) -> dict[str, Any]:
    example: dict[str, Any] = {"detail": description, "error_code": code}
    if field:
        example["field_errors"] = [{"field": field, "message": "must be a UUID"}]
    return {
        "model": ErrorEnvelope,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


BAD_USER = _error("missing or malformed X-User-ID (or path id)", "MISSING_USER_CONTEXT")
NOT_FOUND = _error("no such todo for this user", "NOT_FOUND")
PRECONDITION = _error("If-Match does not match the todo's ETag", "PRECONDITION_FAILED")
TOO_LARGE = _error("body over 64 KiB", "PAYLOAD_TOO_LARGE")
MEDIA_TYPE = _error("body is not application/json", "UNSUPPORTED_MEDIA_TYPE")
INVALID = _error("body or query fails validation", "VALIDATION_ERROR")
UNAVAILABLE = _error("the database is unreachable; see Retry-After", "SERVICE_UNAVAILABLE")
SERVER = _error("unexpected failure, without internals", "SERVER_ERROR")

COMMON: dict[int | str, dict[str, Any]] = {400: BAD_USER, 500: SERVER, 503: UNAVAILABLE}


def json_request_body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "example": schema["examples"][0]}},
        }
    }


LIST_PARAMETERS = {
    "parameters": [
        {
            "name": "is_completed",
            "in": "query",
            "required": False,
            "description": "Only completed (`true`) or open (`false`) todos.",
            "schema": {"type": "string", "enum": ["true", "false"]},
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Page size; without it, every matching todo.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIST_LIMIT},
        },
        {
            "name": "cursor",
            "in": "query",
            "required": False,
            "description": "`next_cursor` of the previous page; needs `limit`.",
            "schema": {"type": "string"},
        },
    ]
}


def finish_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Say what the routes' own parsing enforces: X-User-ID is a required UUID, path ids are
    UUIDs, and no route answers FastAPI's default 422 shape (ours is the envelope)."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in ("x-user-id", "todo_id"):
                    parameter["required"] = True
                    parameter["schema"] = {"type": "string", "format": "uuid"}
                if parameter["name"] == "idempotency-key":
                    parameter["schema"] = {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 255,
                        "pattern": "^[ -~]+$",
                    }
            responses = operation.get("responses", {})
            default_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
            if default_422.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                del responses["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema
