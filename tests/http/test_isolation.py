"""One user's todos are invisible to every other user: 404, the same as a missing todo."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, create_todo, headers, list_todos, todo_url

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_users_todo_is_not_found_with_the_body_of_a_missing_one(
    client: TestClient, user: str, other_user: str, method: str
) -> None:
    todo = create_todo(client, user)
    body = {"title": "hijacked"} if method == "PATCH" else None

    theirs = client.request(method, todo_url(todo["id"]), json=body, headers=headers(other_user))
    missing = client.request(method, todo_url(MISSING_ID), json=body, headers=headers(other_user))

    assert_error(theirs, 404, "NOT_FOUND")
    assert theirs.content == missing.content
    assert "etag" not in theirs.headers


@pytest.mark.parametrize("if_match", ['"1"', '"7"', "*"])
def test_if_match_does_not_reveal_another_users_todo(
    client: TestClient, user: str, other_user: str, if_match: str
) -> None:
    todo = create_todo(client, user)

    patched = client.patch(
        todo_url(todo["id"]), json={"title": "x"}, headers=headers(other_user, if_match=if_match)
    )
    deleted = client.delete(todo_url(todo["id"]), headers=headers(other_user, if_match=if_match))

    assert_error(patched, 404, "NOT_FOUND")
    assert_error(deleted, 404, "NOT_FOUND")


def test_another_users_todos_are_never_listed(
    client: TestClient, user: str, other_user: str
) -> None:
    mine = create_todo(client, user, is_completed=True)
    create_todo(client, other_user, is_completed=True)
    create_todo(client, other_user, is_completed=False)

    for params in ({}, {"is_completed": "true"}, {"limit": 1}):
        page = list_todos(client, user, **params)
        assert [item["id"] for item in page["items"]] == [mine["id"]], params
        assert page["count"] == 1


def test_a_user_with_no_todos_sees_none_of_anyone_elses(
    client: TestClient, user: str, other_user: str
) -> None:
    create_todo(client, user)

    response = client.get(TODOS, headers=headers(other_user))

    assert response.json() == {"items": [], "count": 0, "next_cursor": None}


def test_another_users_patch_and_delete_change_nothing(
    client: TestClient, user: str, other_user: str
) -> None:
    todo = create_todo(client, user, title="mine", description="private")
    url = todo_url(todo["id"])

    client.patch(url, json={"title": "theirs", "description": None}, headers=headers(other_user))
    client.delete(url, headers=headers(other_user))

    after = client.get(url, headers=headers(user))
    assert after.status_code == 200
    assert after.json() == todo
    assert after.headers["ETag"] == '"1"'
