"""Idempotency-Key on POST: a repeat answers the first result and stores nothing new."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, count_todos, headers, post_raw, todo_url


def _post(client: TestClient, user: str, key: str, body: dict[str, Any]) -> httpx2.Response:
    return client.post(TODOS, json=body, headers=headers(user, idempotency_key=key))


def test_a_repeat_with_the_same_key_and_body_answers_the_first_todo(
    client: TestClient, user: str
) -> None:
    first = _post(client, user, "key-1", {"title": "once"})
    again = _post(client, user, "key-1", {"title": "once"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert count_todos(client, user) == 1


def test_key_order_and_spacing_do_not_make_a_different_body(client: TestClient, user: str) -> None:
    first = post_raw(
        client, user, '{"title":"x","description":"d","is_completed":true}', idempotency_key="k"
    )
    again = post_raw(
        client,
        user,
        '{\n  "is_completed" : true ,\n  "description": "d",   "title": "x"\n}',
        idempotency_key="k",
    )

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert count_todos(client, user) == 1


@pytest.mark.parametrize(
    "second",
    [
        {"title": "other"},
        {"title": "once", "is_completed": False},
        {"title": "once", "description": None},
        {"title": " once "},
    ],
    ids=["other-title", "explicit-default", "explicit-null", "same-after-trimming"],
)
def test_the_same_key_with_a_different_body_is_reused_and_stores_nothing(
    client: TestClient, user: str, second: dict[str, Any]
) -> None:
    first = _post(client, user, "key-1", {"title": "once"})

    response = _post(client, user, "key-1", second)

    assert_error(response, 422, "IDEMPOTENCY_KEY_REUSED")
    listed = client.get(TODOS, headers=headers(user)).json()
    assert [item["id"] for item in listed["items"]] == [first.json()["id"]]


def test_a_replay_answers_the_todo_as_first_created_after_it_changed(
    client: TestClient, user: str
) -> None:
    first = _post(client, user, "k", {"title": "original"})
    todo_id = first.json()["id"]
    client.patch(todo_url(todo_id), json={"title": "changed"}, headers=headers(user))

    again = _post(client, user, "k", {"title": "original"})

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.json()["title"] == "original"
    assert count_todos(client, user) == 1


def test_a_replay_answers_the_todo_as_first_created_after_it_was_deleted(
    client: TestClient, user: str
) -> None:
    first = _post(client, user, "k", {"title": "original"})
    client.delete(todo_url(first.json()["id"]), headers=headers(user))

    again = _post(client, user, "k", {"title": "original"})

    assert again.status_code == 201
    assert again.json() == first.json()
    assert count_todos(client, user) == 0


def test_keys_are_per_user(client: TestClient, user: str, other_user: str) -> None:
    mine = _post(client, user, "shared-key", {"title": "x"})
    theirs = _post(client, other_user, "shared-key", {"title": "x"})
    theirs_different = _post(client, other_user, "other-key", {"title": "y"})

    assert mine.status_code == theirs.status_code == theirs_different.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]
    assert theirs.json()["user_id"] == other_user
    assert count_todos(client, user) == 1
    assert count_todos(client, other_user) == 2


def test_different_keys_create_different_todos(client: TestClient, user: str) -> None:
    first = _post(client, user, "a", {"title": "x"})
    second = _post(client, user, "b", {"title": "x"})

    assert first.json()["id"] != second.json()["id"]
    assert count_todos(client, user) == 2


def test_a_request_that_failed_validation_does_not_use_its_key_up(
    client: TestClient, user: str
) -> None:
    assert _post(client, user, "k", {"title": ""}).status_code == 422
    unsupported = post_raw(client, user, '{"title": "x"}', "text/plain", idempotency_key="k")
    assert unsupported.status_code == 415

    created = _post(client, user, "k", {"title": "valid"})
    again = _post(client, user, "k", {"title": "valid"})

    assert created.status_code == 201
    assert again.json()["id"] == created.json()["id"]
    assert count_todos(client, user) == 1


def test_an_invalid_body_with_a_used_key_is_a_validation_error_first(
    client: TestClient, user: str
) -> None:
    _post(client, user, "k", {"title": "x"})

    response = _post(client, user, "k", {"title": "", "completed": True})

    assert_error(response, 422, "VALIDATION_ERROR", "title", "completed")


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, b"cl\xc3\xa9", "a\tb", b"a\x01b", b"a\x7fb"],
    ids=["empty", "256-chars", "non-ascii", "tab", "control", "delete"],
)
def test_a_malformed_key_is_a_validation_error_naming_the_header(
    client: TestClient, user: str, key: str | bytes
) -> None:
    response = client.post(TODOS, json={"title": "x"}, headers=headers(user, idempotency_key=key))

    assert_error(response, 400, "VALIDATION_ERROR", "Idempotency-Key")
    assert count_todos(client, user) == 0


@pytest.mark.parametrize("key", ["k", "k" * 255, "~!@#$%^&*() {}[]|\\:;\"'<>,.?/`", "a b"])
def test_keys_of_1_to_255_printable_ascii_characters_are_accepted(
    client: TestClient, user: str, key: str
) -> None:
    first = _post(client, user, key, {"title": "x"})
    again = _post(client, user, key, {"title": "x"})

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


def test_concurrent_requests_with_one_key_store_one_todo_and_answer_it(
    client: TestClient, user: str
) -> None:
    workers = 8
    start = Barrier(workers)

    def send(_: int) -> httpx2.Response:
        start.wait(timeout=10)
        return _post(client, user, "concurrent", {"title": "raced"})

    with ThreadPoolExecutor(max_workers=workers) as pool:
        responses = list(pool.map(send, range(workers)))

    assert [r.status_code for r in responses] == [201] * workers
    assert len({r.json()["id"] for r in responses}) == 1
    assert count_todos(client, user) == 1
