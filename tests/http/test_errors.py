"""The error envelope on every route, and which error answers when several things are wrong."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from todo_api import (
    TODOS,
    assert_error,
    count_todos,
    create_todo,
    headers,
    patch_raw,
    post_raw,
    todo_url,
)

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"
TOO_LARGE = b'{"title": "x"' + b" " * 65_536 + b"}"


@pytest.mark.parametrize("path", ["/nope", "/api/v1/todo", "/api/v2/todos", "/api/v1/todos/a/b"])
def test_an_unknown_route_is_not_found_in_the_envelope(
    client: TestClient, user: str, path: str
) -> None:
    response = client.get(path, headers=headers(user))

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_trailing_slash_is_an_unknown_route_not_a_redirect(
    client: TestClient, user: str, method: str
) -> None:
    response = client.request(
        method, TODOS + "/", json={"title": "x"}, headers=headers(user), follow_redirects=False
    )

    assert_error(response, 404, "NOT_FOUND")
    assert "location" not in response.headers
    assert count_todos(client, user) == 0


def test_a_trailing_slash_after_a_todo_id_is_an_unknown_route(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)

    response = client.get(todo_url(todo["id"]) + "/", headers=headers(user), follow_redirects=False)

    assert_error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", TODOS),
        ("DELETE", TODOS),
        ("PATCH", TODOS),
        ("PUT", todo_url(MISSING_ID)),
        ("POST", todo_url(MISSING_ID)),
        ("POST", "/health"),
        ("DELETE", "/health/ready"),
    ],
)
def test_a_wrong_method_is_method_not_allowed_in_the_envelope(
    client: TestClient, user: str, method: str, path: str
) -> None:
    response = client.request(method, path, json={"title": "x"}, headers=headers(user))

    assert_error(response, 405, "METHOD_NOT_ALLOWED")


# The contract's order: route/method, 413, user, path id, 415, Idempotency-Key, 422, key reused,
# 404, 412. Each test breaks two adjacent rules (and often more below) and expects the first.


def test_an_unknown_route_beats_everything_else(client: TestClient) -> None:
    response = client.post(
        "/api/v1/todo", content=TOO_LARGE, headers={"Content-Type": "text/plain"}
    )

    assert_error(response, 404, "NOT_FOUND")


def test_a_wrong_method_beats_a_large_body_and_a_missing_user(client: TestClient) -> None:
    response = client.put(TODOS, content=TOO_LARGE, headers={"Content-Type": "text/plain"})

    assert_error(response, 405, "METHOD_NOT_ALLOWED")


def test_a_too_large_body_beats_a_missing_user(client: TestClient) -> None:
    response = post_raw(client, None, TOO_LARGE, "text/plain", idempotency_key="")

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


def test_a_too_large_patch_beats_a_missing_user_and_a_bad_path_id(client: TestClient) -> None:
    response = patch_raw(client, None, "not-a-uuid", TOO_LARGE, None)

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.header_mode
def test_a_missing_user_beats_a_bad_path_id(client: TestClient) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(method, todo_url("not-a-uuid"), content=b"x")
        assert_error(response, 400, "MISSING_USER_CONTEXT")


@pytest.mark.header_mode
def test_a_malformed_user_beats_a_bad_path_id(client: TestClient) -> None:
    response = client.get(todo_url("not-a-uuid"), headers=headers("not-a-user"))

    body = assert_error(response, 400, "VALIDATION_ERROR", "X-User-ID")
    assert [error["field"] for error in body["field_errors"]] == ["X-User-ID"]


def test_a_bad_path_id_beats_an_unsupported_media_type(client: TestClient, user: str) -> None:
    response = patch_raw(client, user, "not-a-uuid", "title=x", "text/plain")

    assert_error(response, 400, "VALIDATION_ERROR", "todo_id")


@pytest.mark.header_mode
def test_a_missing_user_beats_an_unsupported_media_type(client: TestClient) -> None:
    response = post_raw(client, None, "title=x", "text/plain")

    assert_error(response, 400, "MISSING_USER_CONTEXT")


def test_an_unsupported_media_type_beats_a_bad_idempotency_key(
    client: TestClient, user: str
) -> None:
    response = post_raw(client, user, "{", "text/plain", idempotency_key="k" * 256)

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_bad_idempotency_key_beats_an_invalid_body(client: TestClient, user: str) -> None:
    response = post_raw(client, user, '{"title": ""}', idempotency_key="")

    assert_error(response, 400, "VALIDATION_ERROR", "Idempotency-Key")


def test_an_invalid_body_beats_an_unknown_todo(client: TestClient, user: str) -> None:
    response = patch_raw(client, user, MISSING_ID, '{"title": null}')

    assert_error(response, 422, "VALIDATION_ERROR", "title")


def test_an_unknown_todo_beats_a_failed_precondition(client: TestClient, user: str) -> None:
    patched = patch_raw(client, user, MISSING_ID, '{"title": "x"}', if_match='W/"nope"')
    deleted = client.delete(todo_url(MISSING_ID), headers=headers(user, if_match='"99"'))

    assert_error(patched, 404, "NOT_FOUND")
    assert_error(deleted, 404, "NOT_FOUND")


@pytest.mark.header_mode
def test_a_missing_user_beats_a_bad_query(client: TestClient, user: str) -> None:
    response = client.get(TODOS, params={"limit": "0"}, headers=headers(None))

    assert_error(response, 400, "MISSING_USER_CONTEXT")


def test_validation_errors_have_field_errors_and_others_may_omit_them(
    client: TestClient, user: str
) -> None:
    invalid = post_raw(client, user, json.dumps({"title": ""}))
    missing = client.get(todo_url(MISSING_ID), headers=headers(user))

    assert invalid.json()["field_errors"] == [
        {"field": "title", "message": invalid.json()["field_errors"][0]["message"]}
    ]
    assert missing.json().get("field_errors") in (None, [])
