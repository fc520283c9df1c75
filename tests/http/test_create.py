"""POST /api/v1/todos: what a created todo looks like, and the bodies it accepts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from todo_api import (
    CANONICAL_UUID,
    TIMESTAMP,
    TODOS,
    assert_error,
    count_todos,
    create_todo,
    headers,
    post_raw,
    todo_url,
)


def test_creating_a_todo_answers_201_with_the_todo(client: TestClient, user: str) -> None:
    response = client.post(
        TODOS,
        json={"title": "Buy milk", "description": "2 litres", "is_completed": True},
        headers=headers(user),
    )

    assert response.status_code == 201
    todo = response.json()
    assert set(todo) == {
        "id",
        "title",
        "description",
        "is_completed",
        "created_at",
        "updated_at",
        "user_id",
        # v1.2: organizing fields, which v1 clients ignore
        "priority",
        "tags",
        "due_at",
        "completed_at",
    }
    assert todo["title"] == "Buy milk"
    assert todo["description"] == "2 litres"
    assert todo["is_completed"] is True
    assert todo["user_id"] == user
    assert CANONICAL_UUID.fullmatch(todo["id"])


def test_the_location_header_points_at_the_new_todo(client: TestClient, user: str) -> None:
    response = client.post(TODOS, json={"title": "x"}, headers=headers(user))

    assert response.headers["Location"] == f"/api/v1/todos/{response.json()['id']}"
    assert client.get(response.headers["Location"], headers=headers(user)).status_code == 200


def test_a_new_todo_has_the_strong_quoted_etag_one(client: TestClient, user: str) -> None:
    response = client.post(TODOS, json={"title": "x"}, headers=headers(user))

    assert response.headers["ETag"] == '"1"'


def test_is_completed_defaults_to_false_and_description_to_null(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user, title="x")

    assert todo["is_completed"] is False
    assert todo["description"] is None


def test_an_empty_description_is_kept_apart_from_null(client: TestClient, user: str) -> None:
    empty = create_todo(client, user, description="")
    null = create_todo(client, user, description=None)

    assert empty["description"] == ""
    assert null["description"] is None
    fetched = client.get(todo_url(empty["id"]), headers=headers(user)).json()
    assert fetched["description"] == ""


def test_the_description_is_stored_exactly_as_given(client: TestClient, user: str) -> None:
    description = "  spaced\u3000out \n"

    todo = create_todo(client, user, description=description)

    assert todo["description"] == description


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("  Buy milk  ", "Buy milk"),
        ("\t\nBuy milk\r\n", "Buy milk"),
        ("\u3000Buy milk\u3000", "Buy milk"),
        ("\u00a0\u2003Buy  milk\u2029", "Buy  milk"),
    ],
)
def test_the_title_is_trimmed_of_unicode_whitespace(
    client: TestClient, user: str, sent: str, stored: str
) -> None:
    todo = create_todo(client, user, title=sent)

    assert todo["title"] == stored
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json()["title"] == stored


@pytest.mark.parametrize(
    "title", ["\x1fBuy\x1c", "\u200bBuy\u200b", "\ufeffBuy"], ids=["separators", "zwsp", "bom"]
)
def test_characters_that_are_not_unicode_whitespace_are_not_trimmed(
    client: TestClient, user: str, title: str
) -> None:
    todo = create_todo(client, user, title=title)

    assert todo["title"] == title


def test_timestamps_are_utc_with_microseconds_and_equal_on_creation(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)

    assert TIMESTAMP.fullmatch(todo["created_at"]), todo["created_at"]
    assert TIMESTAMP.fullmatch(todo["updated_at"]), todo["updated_at"]
    assert todo["created_at"] == todo["updated_at"]


def test_ids_in_the_body_are_canonical_lower_case(client: TestClient) -> None:
    user = uuid4()

    todo = create_todo(client, str(user).upper())

    assert todo["user_id"] == str(user)
    assert CANONICAL_UUID.fullmatch(todo["id"])


@pytest.mark.parametrize(
    "title",
    ["a" * 255, "  " + "a" * 255 + "  ", "é" * 255, "\U0001f600" * 255, "語" * 255],
    ids=["ascii", "ascii-padded", "two-byte", "emoji", "cjk"],
)
def test_a_title_of_255_characters_is_accepted(client: TestClient, user: str, title: str) -> None:
    todo = create_todo(client, user, title=title)

    assert len(todo["title"]) == 255


@pytest.mark.parametrize("description", ["d" * 2000, "\U0001f600" * 2000])
def test_a_description_of_2000_characters_is_accepted(
    client: TestClient, user: str, description: str
) -> None:
    todo = create_todo(client, user, description=description)

    assert todo["description"] == description


def test_text_outside_the_basic_plane_round_trips(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, title="\U0001f600 日本語 ñ", description="𝄞")

    fetched = client.get(todo_url(todo["id"]), headers=headers(user)).json()
    assert fetched["title"] == "\U0001f600 日本語 ñ"
    assert fetched["description"] == "𝄞"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        'application/json; charset="utf-8"',
        "Application/JSON",
    ],
)
def test_json_with_a_utf8_charset_is_accepted(
    client: TestClient, user: str, content_type: str
) -> None:
    response = post_raw(client, user, json.dumps({"title": "x"}), content_type)

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/json; charset=latin-1",
        "application/json; charset=utf-16",
        "application/x-www-form-urlencoded",
        "application/json-patch+json",
        "application/jsonx",
    ],
)
def test_a_body_not_sent_as_utf8_json_is_unsupported(
    client: TestClient, user: str, content_type: str | None
) -> None:
    response = post_raw(client, user, json.dumps({"title": "x"}), content_type)

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert count_todos(client, user) == 0


def _padded_to(size: int) -> bytes:
    body = json.dumps({"title": "padded"}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_a_body_of_exactly_64_kib_is_accepted(client: TestClient, user: str) -> None:
    body = _padded_to(65_536)
    assert len(body) == 65_536

    response = post_raw(client, user, body)

    assert response.status_code == 201, response.text
    assert response.json()["title"] == "padded"


def test_a_body_one_byte_over_64_kib_is_too_large(client: TestClient, user: str) -> None:
    body = _padded_to(65_537)

    response = post_raw(client, user, body)

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert count_todos(client, user) == 0


def test_a_streamed_body_over_64_kib_without_content_length_is_too_large(
    client: TestClient, user: str
) -> None:
    body = _padded_to(65_537)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    response = client.post(
        TODOS,
        content=chunks(),
        headers={"Content-Type": "application/json", **headers(user)},
    )

    assert "content-length" not in response.request.headers
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert count_todos(client, user) == 0
