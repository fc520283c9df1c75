"""The API as the state machine drives it: each request is sent for a user of the model,
its answer is checked against what the model predicts, and the model then follows the
service (ids and timestamps are the service's to choose). User and todo ids are sent in
each of the contract's spellings in turn: all of them name the same user and todo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import event

from tests.http.todo_api import TODOS, headers, todo_url
from tests.property.harness import expect_error, expect_todo, expect_well_formed
from tests.property.model import (
    Json,
    Replay,
    Stored,
    TodoRef,
    UserModel,
    canonical,
    created_fields,
    delete_outcome,
    etag,
    idempotency_key_ok,
    invalid_fields,
    patch_outcome,
    patched,
)
from tests.property.strategies import if_match_header

SPELLINGS: tuple[Callable[[str], str], ...] = (
    str,
    str.upper,
    lambda uuid: uuid.replace("-", ""),
    lambda uuid: "{" + uuid + "}",
    lambda uuid: "urn:uuid:" + uuid,
)


def with_if_match(user_id: str, if_match: str | None) -> dict[str, Any]:
    return headers(user_id) if if_match is None else headers(user_id, if_match=if_match)


class CheckedApi:
    def __init__(self, client: TestClient, users: list[UserModel]) -> None:
        self.client = client
        self.users = users
        self._spelled = 0

    def _spell(self, uuid: str) -> str:
        self._spelled += 1
        return SPELLINGS[self._spelled % len(SPELLINGS)](uuid)

    def _url(self, ref: TodoRef) -> str:
        return todo_url(self._spell(ref.id))

    def create(self, owner: int, body: Json, key: str | None) -> TodoRef | None:
        user = self.users[owner]
        extra = {} if key is None else {"idempotency_key": key}
        hdrs = headers(self._spell(user.id), **extra)
        response = self.client.post(TODOS, json=body, headers=hdrs)
        if key is not None and not idempotency_key_ok(key):
            event("create: malformed Idempotency-Key")
            expect_error(response, 400, "VALIDATION_ERROR", {"Idempotency-Key"})
            return None
        if bad := invalid_fields(body, creating=True):
            event(f"create: invalid {sorted(bad)}")
            expect_error(response, 422, "VALIDATION_ERROR", bad)
            return None
        replay = user.keys.get(key) if key is not None else None
        if replay is not None and replay.body != canonical(body):
            event("create: key reused with another body")
            expect_error(response, 422, "IDEMPOTENCY_KEY_REUSED")
            return None
        if replay is not None:  # the todo as first created, even if changed or deleted since
            now = user.todos.get(replay.todo["id"])
            event(f"create: replay, the todo {'gone' if now is None else f'at v{now.version}'}")
            expect_todo(response, 201, replay.todo, 1)
            assert response.headers["Location"] == todo_url(replay.todo["id"])
            return None
        event("create: new todo")
        assert response.status_code == 201, response.text
        todo: Json = response.json()
        expect_well_formed(todo, user.id)
        expected = created_fields(body, user.id)
        assert {name: todo[name] for name in expected} == expected
        assert todo["updated_at"] == todo["created_at"]
        assert todo["completed_at"] == (todo["created_at"] if todo["is_completed"] else None)
        assert response.headers["ETag"] == etag(1)
        assert response.headers["Location"] == todo_url(todo["id"])
        assert all(todo["id"] not in other.todos for other in self.users)
        user.todos[todo["id"]] = Stored(todo, 1)
        if key is not None:
            user.keys[key] = Replay(canonical(body), todo)
        return TodoRef(owner, todo["id"])

    def patch(self, ref: TodoRef, body: Json, if_match_kind: str) -> None:
        user = self.users[ref.owner]
        stored = user.todos.get(ref.id)
        if_match = if_match_header(if_match_kind, stored.version if stored else 1)
        response = self.client.patch(
            self._url(ref), json=body, headers=with_if_match(self._spell(user.id), if_match)
        )
        outcome = patch_outcome(body, stored, if_match)
        event(f"update: {outcome}")
        if outcome == "invalid":
            expect_error(response, 422, "VALIDATION_ERROR", invalid_fields(body, creating=False))
        elif stored is None:  # outcome "missing"
            expect_error(response, 404, "NOT_FOUND")
        elif outcome == "stale":
            expect_error(response, 412, "PRECONDITION_FAILED")
        elif outcome == "noop":  # {} changes nothing, not even the ETag
            expect_todo(response, 200, stored.todo, stored.version)
        else:
            assert response.status_code == 200, response.text
            answer: Json = response.json()
            assert answer["updated_at"] >= stored.todo["updated_at"], answer  # clock: monotonic
            now = answer["updated_at"]
            expected = patched(stored.todo, body, now) | {"updated_at": now}
            expect_todo(response, 200, expected, stored.version + 1)
            user.todos[ref.id] = Stored(answer, stored.version + 1)

    def delete(self, ref: TodoRef, if_match_kind: str) -> None:
        user = self.users[ref.owner]
        stored = user.todos.get(ref.id)
        if_match = if_match_header(if_match_kind, stored.version if stored else 1)
        response = self.client.delete(
            self._url(ref), headers=with_if_match(self._spell(user.id), if_match)
        )
        outcome = delete_outcome(stored, if_match)
        event(f"delete: {outcome}")
        if outcome == "missing":
            expect_error(response, 404, "NOT_FOUND")
        elif outcome == "stale":
            expect_error(response, 412, "PRECONDITION_FAILED")
        else:
            assert response.status_code == 204, response.text
            assert response.content == b""
            del user.todos[ref.id]

    def list_page(self, user: UserModel, params: dict[str, Any]) -> Json:
        response = self.client.get(TODOS, params=params, headers=headers(self._spell(user.id)))
        assert response.status_code == 200, response.text
        page: Json = response.json()
        return page

    def get(self, ref: TodoRef) -> None:
        user = self.users[ref.owner]
        stored = user.todos.get(ref.id)
        response = self.client.get(self._url(ref), headers=headers(self._spell(user.id)))
        if stored is None:
            expect_error(response, 404, "NOT_FOUND")
        else:
            expect_todo(response, 200, stored.todo, stored.version)
