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
LIMIT = _error("the user already holds MAX_TODOS_PER_USER todos", "TODO_LIMIT_REACHED")
UNAVAILABLE = _error(
    "the database is unreachable, paused, read-only or locked; see Retry-After",
    "SERVICE_UNAVAILABLE",
)
SERVER = _error("unexpected failure, without internals", "SERVER_ERROR")

COMMON: dict[int | str, dict[str, Any]] = {400: BAD_USER, 500: SERVER, 503: UNAVAILABLE}


def _parameter(
    name: str, where: str, schema: dict[str, Any], description: str, **more: Any
) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, "description": description, **more}


UUID_SCHEMA = {"type": "string", "format": "uuid"}
USER = _parameter(
    "X-User-ID",
    "header",
    UUID_SCHEMA,
    "The calling user's UUID (until real authentication lands).",
    required=True,
)
TODO_ID = _parameter("todo_id", "path", UUID_SCHEMA, "The todo's UUID.", required=True)
IDEMPOTENCY_KEY = _parameter(
    "Idempotency-Key",
    "header",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
    "Makes retries safe: a repeat with the same body answers the first result.",
)
IF_MATCH = _parameter(
    "If-Match",
    "header",
    {"type": "string"},
    'The ETag last seen (e.g. `"3"`), or `*`; 412 if stale.',
)
LIST_QUERY = (
    _parameter(
        "is_completed",
        "query",
        {"type": "string", "enum": ["true", "false"]},
        "Only completed (`true`) or open (`false`) todos.",
    ),
    _parameter(
        "limit",
        "query",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIST_LIMIT},
        "Page size; without it, every matching todo.",
    ),
    _parameter(
        "cursor", "query", {"type": "string"}, "`next_cursor` of the previous page; needs `limit`."
    ),
)


def operation(*parameters: dict[str, Any], body: type[BaseModel] | None = None) -> dict[str, Any]:
    """The parameters and request body of an operation whose route reads them itself."""
    extra: dict[str, Any] = {"parameters": list(parameters)}
    if body is not None:
        schema = body.model_json_schema()
        extra["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema, "example": schema["examples"][0]}},
        }
    return extra
