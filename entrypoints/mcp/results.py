"""What a tool answers: the REST body as structured content (and as text, for clients that
show only text), or a tool error carrying the contract's envelope."""

from __future__ import annotations

import json
from typing import Any

from mcp_types import CallToolResult, TextContent

from domain.todo import Todo
from entrypoints.http.errors import as_api_error, envelope
from entrypoints.http.schemas import todo_json


def etag(todo: Todo) -> str:
    """The todo's ETag, as the REST API sends it: pass it back as expected_etag."""
    return f'"{todo.version}"'


def _text(value: object) -> TextContent:
    return TextContent(type="text", text=json.dumps(value, ensure_ascii=False))


def body_result(body: dict[str, Any]) -> CallToolResult:
    return CallToolResult(content=[_text(body)], structured_content=body)


def todo_result(todo: Todo) -> CallToolResult:
    """The REST body of one todo; its ETag in _meta and in a second text block, where a
    model that reads only text sees it too."""
    tag = etag(todo)
    body = todo_json(todo)
    return CallToolResult(
        content=[_text(body), TextContent(type="text", text=f"ETag: {tag}")],
        structured_content=body,
        _meta={"etag": tag},
    )


def error_result(error: Exception) -> CallToolResult:
    """A tool error with the contract's envelope: the same mapping as the REST API's
    (entrypoints/http/errors.py as_api_error), so a todo of another user is NOT_FOUND."""
    body = envelope(as_api_error(error))
    return CallToolResult(content=[_text(body)], structured_content=body, is_error=True)
