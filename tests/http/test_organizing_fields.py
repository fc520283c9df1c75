"""v1.2 fields over HTTP: priority, tags, due_at, completed_at on create, patch and reads."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.http.todo_api import (
    TIMESTAMP,
    TODOS,
    assert_error,
    create_todo,
    headers,
    json_headers,
    post_raw,
    todo_url,
)


def patch(client: TestClient, user: str, todo_id: str, **fields: Any) -> dict[str, Any]:
    response = client.patch(todo_url(todo_id), json=fields, headers=headers(user))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_todo_created_without_them_has_the_defaults(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    assert (todo["priority"], todo["tags"], todo["due_at"], todo["completed_at"]) == (
        "none",
        [],
        None,
        None,
    )


def test_create_normalises_tags_and_returns_due_at_in_utc(client: TestClient, user: str) -> None:
    todo = create_todo(
        client,
        user,
        priority="high",
        tags=[" Work ", "home", "WORK", "\u3000Ünï\u2003"],
        due_at="2026-02-01T18:00:00+01:00",
    )
    assert todo["priority"] == "high"
    assert todo["tags"] == ["home", "work", "ünï"]
    assert todo["due_at"] == "2026-02-01T17:00:00.000000Z"
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json() == todo


def test_a_todo_created_completed_was_completed_at_creation(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, is_completed=True)
    assert todo["completed_at"] == todo["created_at"]
    assert TIMESTAMP.fullmatch(todo["completed_at"])


def test_completion_sets_keeps_and_clears_completed_at(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    done = patch(client, user, todo["id"], is_completed=True)
    assert done["completed_at"] == done["updated_at"]
    again = patch(client, user, todo["id"], is_completed=True, title="renamed")
    assert again["completed_at"] == done["completed_at"]
    assert again["updated_at"] > done["updated_at"]
    reopened = patch(client, user, todo["id"], is_completed=False)
    assert reopened["completed_at"] is None


def test_patch_replaces_tags_sets_priority_and_clears_due_at(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, tags=["a", "b"], due_at="2026-02-01T17:00:00Z")
    changed = patch(client, user, todo["id"], tags=["C"], priority="low")
    assert (changed["tags"], changed["priority"]) == (["c"], "low")
    assert changed["due_at"] == "2026-02-01T17:00:00.000000Z"
    cleared = patch(client, user, todo["id"], tags=[], due_at=None)
    assert (cleared["tags"], cleared["due_at"], cleared["priority"]) == ([], None, "low")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": "urgent"}, "priority"),
        ({"priority": "High"}, "priority"),
        ({"priority": None}, "priority"),
        ({"priority": 3}, "priority"),
        ({"tags": None}, "tags"),
        ({"tags": "work"}, "tags"),
        ({"tags": [1]}, "tags"),
        ({"tags": ["a,b"]}, "tags"),
        ({"tags": [" "]}, "tags"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"tags": ["a\u0007"]}, "tags"),
        ({"tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"due_at": "2026-02-01T17:00:00"}, "due_at"),
        ({"due_at": "2026-02-01"}, "due_at"),
        ({"due_at": "2026-02-30T17:00:00Z"}, "due_at"),
        ({"due_at": "0000-12-31T23:00:00Z"}, "due_at"),
        ({"due_at": "0001-01-01T00:00:00+01:00"}, "due_at"),
        ({"due_at": "9999-12-31T23:30:00-01:00"}, "due_at"),
        ({"due_at": 1767286800}, "due_at"),
        ({"completed_at": "2026-02-01T17:00:00Z"}, "completed_at"),
    ],
)
def test_bad_organizing_fields_are_422_naming_the_field_on_create_and_patch(
    client: TestClient, user: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(TODOS, json={"title": "t", **body}, headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", field)
    todo = create_todo(client, user)
    response = client.patch(todo_url(todo["id"]), json=body, headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", field)


def test_every_bad_field_is_reported_at_once(client: TestClient, user: str) -> None:
    body = {"title": "", "priority": "x", "tags": ["a,b"], "due_at": "soon", "completed_at": None}
    response = client.post(TODOS, json=body, headers=headers(user))
    assert_error(
        response, 422, "VALIDATION_ERROR", "title", "priority", "tags", "due_at", "completed_at"
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z"),
        ("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"),
        ("2026-02-01t17:00:00.123456789z", "2026-02-01T17:00:00.123456Z"),
        ("2026-02-01T12:00:00-05:30", "2026-02-01T17:30:00.000000Z"),
    ],
)
def test_due_at_boundaries_and_spellings_are_accepted(
    client: TestClient, user: str, sent: str, stored: str
) -> None:
    assert create_todo(client, user, due_at=sent)["due_at"] == stored


def test_an_idempotent_replay_returns_the_organizing_fields_as_first_created(
    client: TestClient, user: str
) -> None:
    body = json.dumps(
        {"title": "t", "priority": "medium", "tags": ["B", "a"], "due_at": "2026-02-01T17:00:00Z",
         "is_completed": True}
    )  # fmt: skip
    first = post_raw(client, user, body, idempotency_key="k1")
    assert first.status_code == 201
    todo = first.json()
    client.patch(todo_url(todo["id"]), json={"tags": [], "priority": "none"}, headers=headers(user))
    replay = post_raw(client, user, body, idempotency_key="k1")
    assert replay.status_code == 201
    assert replay.json() == todo
    assert todo["completed_at"] == todo["created_at"]


def test_v1_bodies_still_work_unchanged(client: TestClient, user: str) -> None:
    response = client.post(
        TODOS, content=b'{"title": "v1", "is_completed": false}', headers=json_headers(user)
    )
    assert response.status_code == 201
    assert {"id", "title", "description", "is_completed"} <= set(response.json())
