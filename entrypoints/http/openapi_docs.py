"""What /docs shows beyond what FastAPI infers: request bodies and query parameters that the
routes parse themselves (to keep the contract's error precedence), and every error answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from entrypoints.http.list_parameters import MAX_LIST_LIMIT, Q_MAX_LENGTH, SORTS
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


def _header(description: str, schema: dict[str, Any], example: str) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": schema, "example": example}


# Response headers, defined once under components/headers (openapi_document.py puts them
# there) and referred to by each response that carries them.
HEADERS = {
    "ETag": _header(
        "The todo's version as a strong entity tag; send it back in If-Match or If-None-Match.",
        {"type": "string", "pattern": '^"[1-9][0-9]*"$'},
        '"1"',
    ),
    "Location": _header(
        "The new todo's path.",
        {"type": "string", "format": "uri-reference"},
        "/api/v1/todos/0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
    ),
    "X-Request-ID": _header(
        "The request's id (the client's X-Request-ID when it is safe to echo); also logged.",
        {"type": "string", "pattern": "^[A-Za-z0-9._:/+=-]{1,128}$"},
        "9f1c0a4e6b2d4c3f8e7a5b6c7d8e9f01",
    ),
    "Retry-After": _header(
        "Seconds to wait before retrying.", {"type": "string", "pattern": "^[0-9]+$"}, "2"
    ),
}


def header_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def with_etag(*more_headers: str) -> dict[str, Any]:
    """A success answer's extra documentation: its ETag header (and any others named)."""
    return {"headers": {name: header_ref(name) for name in ("ETag", *more_headers)}}


NOT_MODIFIED = {
    "description": "Not Modified: If-None-Match names the current ETag (or is `*`); no body.",
    **with_etag(),
}


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
    'ETags the change may apply to (e.g. `"3"` or `"3", "4"`; strong comparison), or `*`; '
    "412 if the todo's ETag is not among them.",
)
IF_NONE_MATCH = _parameter(
    "If-None-Match",
    "header",
    {"type": "string"},
    'ETags of copies the client holds (e.g. `"3"`; weak comparison), or `*`; 304 if the '
    "todo's ETag is among them.",
)
# No `example` on the list's filters: Swagger UI's "Try it out" would fill them in, and the
# first list a newcomer tries would come back filtered. The examples are in the descriptions.
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
        "cursor",
        "query",
        {"type": "string"},
        "`next_cursor` of the previous page; needs `limit`, and the same filters and sort as the"
        " page that issued it (else 422 naming `cursor`).",
    ),
    _parameter(
        "priority",
        "query",
        {"type": "string"},
        "One or more of none, low, medium, high, comma-separated: todos with any of them"
        " (e.g. `high,medium`).",
    ),
    _parameter(
        "tags",
        "query",
        {"type": "string"},
        "One or more tags, comma-separated, normalised like stored tags: todos with all of"
        " them (e.g. `work,urgent`).",
    ),
    _parameter(
        "due_before",
        "query",
        {"type": "string", "format": "date-time"},
        "Todos due before this RFC 3339 instant, e.g. `2026-02-01T00:00:00Z` (todos without a"
        " due date never match).",
    ),
    _parameter(
        "due_after",
        "query",
        {"type": "string", "format": "date-time"},
        "Todos due at or after this RFC 3339 instant, e.g. `2026-01-01T00:00:00+01:00` (todos"
        " without a due date never match).",
    ),
    _parameter(
        "q",
        "query",
        {"type": "string", "minLength": 1, "maxLength": Q_MAX_LENGTH},
        "Text the title or description contains, case-insensitively (trimmed first), e.g. `milk`.",
    ),
    _parameter(
        "sort",
        "query",
        {"type": "string", "enum": [p + key for key in SORTS for p in ("", "-")]},
        "Sort key, `-` for descending; ties by created_at then id in the same direction;"
        " todos without a due date come last in both due_at directions. Default -created_at;"
        " e.g. `due_at`.",
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
