"""Bodies that fail validation: 422 VALIDATION_ERROR naming the field, and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from todo_api import (
    assert_error,
    count_todos,
    create_todo,
    field_names,
    headers,
    patch_raw,
    post_raw,
    todo_url,
)

BAD_CREATE_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("missing title", {"description": "d"}, "title"),
    ("empty title", {"title": ""}, "title"),
    ("blank title", {"title": "   "}, "title"),
    ("unicode-blank title", {"title": "\u3000\u2003\n"}, "title"),
    ("null title", {"title": None}, "title"),
    ("title a number", {"title": 5}, "title"),
    ("title a list", {"title": ["x"]}, "title"),
    ("title of 256 characters", {"title": "a" * 256}, "title"),
    ("title of 256 after trimming", {"title": "  " + "b" * 256 + "  "}, "title"),
    ("title of 256 emoji", {"title": "\U0001f600" * 256}, "title"),
    ("NUL in title", {"title": "a\u0000b"}, "title"),
    ("description of 2001", {"title": "x", "description": "d" * 2001}, "description"),
    ("NUL in description", {"title": "x", "description": "\u0000"}, "description"),
    ("description a number", {"title": "x", "description": 3}, "description"),
    ("is_completed yes", {"title": "x", "is_completed": "yes"}, "is_completed"),
    ("is_completed 1", {"title": "x", "is_completed": 1}, "is_completed"),
    ("is_completed 0", {"title": "x", "is_completed": 0}, "is_completed"),
    ("is_completed null", {"title": "x", "is_completed": None}, "is_completed"),
    ("is_completed 'true'", {"title": "x", "is_completed": "true"}, "is_completed"),
    ("unknown field completed", {"title": "x", "completed": True}, "completed"),
    ("unknown field id", {"title": "x", "id": "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"}, "id"),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [(body, field) for _, body, field in BAD_CREATE_BODIES],
    ids=[name for name, _, _ in BAD_CREATE_BODIES],
)
def test_an_invalid_create_body_is_a_validation_error_naming_the_field(
    client: TestClient, user: str, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/todos", json=body, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", field)
    assert count_todos(client, user) == 0


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"title": "\\ud800"}', "title"),
        ('{"title": "a\\udfffb"}', "title"),
        ('{"title": "x", "description": "\\ud800"}', "description"),
        ('{"title": "a\\u0000"}', "title"),
    ],
    ids=["lone-high-surrogate-title", "lone-low-surrogate-title", "surrogate-description", "nul"],
)
def test_escaped_text_that_cannot_be_stored_is_a_validation_error(
    client: TestClient, user: str, raw: str, field: str
) -> None:
    response = post_raw(client, user, raw)

    assert_error(response, 422, "VALIDATION_ERROR", field)
    assert count_todos(client, user) == 0


def test_several_errors_are_reported_together(client: TestClient, user: str) -> None:
    body = {"title": " ", "description": "d" * 2001, "is_completed": "yes", "completed": True}

    response = client.post("/api/v1/todos", json=body, headers=headers(user))

    assert_error(
        response, 422, "VALIDATION_ERROR", "title", "description", "is_completed", "completed"
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b'"x"',
        b"1",
        b"null",
        b"true",
        b'[{"title": "x"}]',
    ],
    ids=["array", "string", "number", "null", "boolean", "array-of-object"],
)
def test_a_body_that_is_not_a_json_object_is_a_validation_error(
    client: TestClient, user: str, raw: bytes
) -> None:
    response = post_raw(client, user, raw)

    body = assert_error(response, 422, "VALIDATION_ERROR")
    assert body["field_errors"], body
    assert count_todos(client, user) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b'{"title": "x",}',
        b"{'title': 'x'}",
        b'{"title": "x"} {}',
        b'{"title": "\xff"}',
        b'{"title": "\xc3"}',
        b'{"title": "x", "description": NaN}',
        b"[" * 60_000,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    ],
    ids=[
        "empty",
        "truncated",
        "trailing-comma",
        "single-quotes",
        "two-values",
        "invalid-utf8",
        "truncated-utf8",
        "nan",
        "deeply-nested-arrays",
        "deeply-nested-objects",
    ],
)
def test_a_body_that_is_not_valid_utf8_json_is_a_validation_error(
    client: TestClient, user: str, raw: bytes
) -> None:
    assert len(raw) <= 65_536

    response = post_raw(client, user, raw)

    assert_error(response, 422, "VALIDATION_ERROR")
    assert count_todos(client, user) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"title": "x", "\\ud800": 1}',
        b'{"title": "x", "a\\u0000b": 1}',
        b'{"title": ' + b"9" * 5000 + b"}",
        b'{"title": "x", "description": 1e999}',
        b'{"title": "x", "extra": ' + b"[" * 900 + b"]" * 900 + b"}",
    ],
    ids=["surrogate-field-name", "nul-field-name", "huge-number", "infinite-number", "deep-extra"],
)
def test_odd_but_well_formed_bodies_are_validation_errors_not_server_errors(
    client: TestClient, user: str, raw: bytes
) -> None:
    response = post_raw(client, user, raw)

    assert_error(response, 422, "VALIDATION_ERROR")
    assert count_todos(client, user) == 0


def test_a_failed_create_leaves_the_users_todos_unchanged(client: TestClient, user: str) -> None:
    existing = create_todo(client, user, title="kept")

    for body in ({"title": ""}, {"title": "x", "completed": True}, {"title": "x" * 300}):
        assert client.post("/api/v1/todos", json=body, headers=headers(user)).status_code == 422

    listed = client.get("/api/v1/todos", headers=headers(user)).json()
    assert listed["count"] == 1
    assert [item["id"] for item in listed["items"]] == [existing["id"]]


BAD_PATCH_BODIES: list[tuple[str, str, str]] = [
    ("null title", '{"title": null}', "title"),
    ("blank title", '{"title": " \\u3000 "}', "title"),
    ("title of 256", json.dumps({"title": "t" * 256}), "title"),
    ("NUL in title", '{"title": "\\u0000"}', "title"),
    ("lone surrogate title", '{"title": "\\ud800"}', "title"),
    ("description of 2001", json.dumps({"description": "d" * 2001}), "description"),
    ("NUL in description", '{"description": "a\\u0000"}', "description"),
    ("is_completed yes", '{"is_completed": "yes"}', "is_completed"),
    ("is_completed 1", '{"is_completed": 1}', "is_completed"),
    ("is_completed null", '{"is_completed": null}', "is_completed"),
    ("unknown field completed", '{"completed": true}', "completed"),
    ("not an object", "[]", "body"),
]


@pytest.mark.parametrize(
    ("raw", "field"),
    [(raw, field) for _, raw, field in BAD_PATCH_BODIES],
    ids=[name for name, _, _ in BAD_PATCH_BODIES],
)
def test_an_invalid_patch_body_is_a_validation_error_and_changes_nothing(
    client: TestClient, user: str, raw: str, field: str
) -> None:
    todo = create_todo(client, user, title="before", description="d", is_completed=False)

    response = patch_raw(client, user, todo["id"], raw)

    body = assert_error(response, 422, "VALIDATION_ERROR")
    assert field in field_names(response) or (field == "body" and body["field_errors"])
    after = client.get(todo_url(todo["id"]), headers=headers(user))
    assert after.json() == todo
    assert after.headers["ETag"] == '"1"'


def test_a_patch_reports_all_its_errors_together(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = patch_raw(
        client, user, todo["id"], '{"title": null, "is_completed": 1, "completed": false}'
    )

    assert_error(response, 422, "VALIDATION_ERROR", "title", "is_completed", "completed")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json; charset=latin-1"])
def test_a_patch_body_not_sent_as_utf8_json_is_unsupported(
    client: TestClient, user: str, content_type: str | None
) -> None:
    todo = create_todo(client, user, title="before")

    response = patch_raw(client, user, todo["id"], '{"title": "after"}', content_type)

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json()["title"] == "before"
