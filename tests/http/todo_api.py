"""Helpers shared by the HTTP tests: headers, creating todos, sending raw bodies, checking
the error envelope. Plain functions (not fixtures), imported by the test modules."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from fastapi.testclient import TestClient

TODOS = "/api/v1/todos"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JSON = "application/json"


def todo_url(todo_id: str) -> str:
    return f"{TODOS}/{todo_id}"


def headers(user: str | None = None, **extra: str | bytes) -> dict[str, Any]:
    """Request headers: X-User-ID (if `user` is given) and any others, with `_` in a keyword
    standing for `-` (`if_match="*"` gives `If-Match: *`)."""
    result: dict[str, Any] = {}
    if user is not None:
        result["X-User-ID"] = user
    for name, value in extra.items():
        result["-".join(part.capitalize() for part in name.split("_"))] = value
    return result


def missing_identity(client: TestClient) -> tuple[int, str]:
    """What a request without identity answers: 400 in header mode, 401 in bearer mode."""
    if client.app.state.bearer_mode:  # type: ignore[attr-defined]
        return 401, "MISSING_CREDENTIALS"
    return 400, "MISSING_USER_CONTEXT"


def json_headers(user: str | None = None, **extra: str | bytes) -> dict[str, Any]:
    return {"Content-Type": JSON, **headers(user, **extra)}


def create_todo(client: TestClient, user: str, **fields: Any) -> dict[str, Any]:
    """Create a todo (title defaults to "a todo") and return its body; fails unless 201."""
    body = {"title": "a todo", **fields}
    response = client.post(TODOS, json=body, headers=headers(user))
    assert response.status_code == 201, response.text
    todo: dict[str, Any] = response.json()
    return todo


def post_raw(
    client: TestClient,
    user: str | None,
    content: bytes | str,
    content_type: str | None = JSON,
    **extra: str | bytes,
) -> httpx2.Response:
    """POST exactly these bytes (a str is sent as UTF-8) as a new todo."""
    sent = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    hdrs = headers(user, **extra)
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    return client.post(TODOS, content=sent, headers=hdrs)


def patch_raw(
    client: TestClient,
    user: str | None,
    todo_id: str,
    content: bytes | str,
    content_type: str | None = JSON,
    **extra: str | bytes,
) -> httpx2.Response:
    sent = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    hdrs = headers(user, **extra)
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    return client.patch(todo_url(todo_id), content=sent, headers=hdrs)


def list_todos(client: TestClient, user: str, **params: Any) -> dict[str, Any]:
    response = client.get(TODOS, params=params, headers=headers(user))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def count_todos(client: TestClient, user: str) -> int:
    count: int = list_todos(client, user)["count"]
    return count


def assert_error(
    response: httpx2.Response, status: int, error_code: str, *fields: str
) -> dict[str, Any]:
    """The response is the error envelope with this status and code; if `fields` are given,
    field_errors names each of them."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSON)
    body: dict[str, Any] = response.json()
    assert set(body) <= {"detail", "error_code", "field_errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["error_code"] == error_code, body
    if fields:
        named = {error["field"] for error in body["field_errors"]}
        assert set(fields) <= named, body
        for error in body["field_errors"]:
            assert set(error) == {"field", "message"} and error["message"], body
    return body


def field_names(response: httpx2.Response) -> set[str]:
    return {error["field"] for error in response.json().get("field_errors") or []}
