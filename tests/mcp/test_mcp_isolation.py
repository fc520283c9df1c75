"""Isolation through MCP: two users' MCP sessions (over HTTP, to a live server) interleaved at
random, every answer checked against the property suite's model (tests/property/model.py):
neither user can read, change, complete, delete or even detect the other's todos (another
user's todo is NOT_FOUND exactly like a missing one), and REST shows each user exactly the
todos MCP does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from mcp import Client

from tests.mcp.http_session import http_client
from tests.property.model import Json, TodoRef, created_fields, invalid_fields, patched
from tests.property.organizing_model import tag_counts
from tests.property.profiles import share
from tests.property.strategies import create_bodies, patch_bodies
from tests.support.apps import memory_app
from tests.support.live_server import LOOPBACK, server_thread

USERS = 2
ACTORS = st.integers(0, USERS - 1)
NOT_FOUND = {"detail": "no such todo", "error_code": "NOT_FOUND"}
VALID_CREATES = create_bodies().filter(lambda body: not invalid_fields(body, creating=True))
VALID_PATCHES = patch_bodies().filter(lambda body: not invalid_fields(body, creating=False))
_NOT_COMPARED = ("updated_at", "completed_at")  # the server's clock; REST tests pin these


def _comparable(todo: Json) -> Json:
    return {name: value for name, value in todo.items() if name not in _NOT_COMPARED}


class McpIsolation(RuleBasedStateMachine):
    todos: Bundle[TodoRef] = Bundle("todos")

    def __init__(self, portal: BlockingPortal, port: int) -> None:
        super().__init__()
        self.portal = portal
        self.port = port
        self.user_ids = [str(uuid4()) for _ in range(USERS)]  # fresh for each example
        self.model: list[dict[str, Json]] = [{} for _ in range(USERS)]
        # Each session opened and closed by one task of the portal (anyio's cancel scopes
        # must be left by the task that entered them).
        self.sessions = [
            portal.wrap_async_context_manager(http_client(port, {"X-User-ID": user_id}))
            for user_id in self.user_ids
        ]
        self.clients: list[Client] = [session.__enter__() for session in self.sessions]

    def teardown(self) -> None:
        for session in self.sessions:
            session.__exit__(None, None, None)

    def call(self, actor: int, tool: str, **arguments: Any) -> tuple[bool, Any]:
        result = self.portal.call(self.clients[actor].call_tool, tool, arguments)
        return bool(result.is_error), result.structured_content

    def owned(self, actor: int, ref: TodoRef) -> Json | None:
        return self.model[actor].get(ref.id)

    @rule(target=todos, actor=ACTORS, body=VALID_CREATES)
    def create(self, actor: int, body: Json) -> TodoRef:
        failed, todo = self.call(actor, "create_todo", **body)
        assert not failed, todo
        assert {k: todo[k] for k in created_fields(body, "")} | {
            "user_id": todo["user_id"]
        } == created_fields(body, self.user_ids[actor])
        self.model[actor][todo["id"]] = todo
        return TodoRef(actor, todo["id"])

    @rule(target=todos)
    def invent(self) -> MultipleResults[TodoRef]:
        return multiple(TodoRef(0, str(uuid4())))  # nobody's: must look like another's

    @rule(actor=ACTORS, ref=todos)
    def get(self, actor: int, ref: TodoRef) -> None:
        failed, answer = self.call(actor, "get_todo", id=ref.id)
        mine = self.owned(actor, ref)
        assert (not failed and answer == mine) if mine else (failed and answer == NOT_FOUND)

    @rule(actor=ACTORS, ref=todos, changes=VALID_PATCHES)
    def update(self, actor: int, ref: TodoRef, changes: Json) -> None:
        failed, answer = self.call(actor, "update_todo", id=ref.id, **changes)
        mine = self.owned(actor, ref)
        if mine is None:
            assert failed and answer == NOT_FOUND
            return
        assert not failed, answer
        expected = patched(mine, changes, answer["updated_at"])
        assert _comparable(answer) == _comparable(expected)
        self.model[actor][ref.id] = answer

    @rule(actor=ACTORS, ref=todos, done=st.booleans())
    def complete_or_reopen(self, actor: int, ref: TodoRef, done: bool) -> None:
        tool = "complete_todo" if done else "reopen_todo"
        failed, answer = self.call(actor, tool, id=ref.id)
        mine = self.owned(actor, ref)
        if mine is None:
            assert failed and answer == NOT_FOUND
            return
        assert not failed and answer["is_completed"] is done
        assert _comparable(answer) == _comparable({**mine, "is_completed": done})
        self.model[actor][ref.id] = answer

    @rule(actor=ACTORS, ref=todos)
    def delete(self, actor: int, ref: TodoRef) -> None:
        failed, answer = self.call(actor, "delete_todo", id=ref.id)
        if self.owned(actor, ref) is None:
            assert failed and answer == NOT_FOUND
            return
        assert not failed
        del self.model[actor][ref.id]

    @invariant()
    def each_user_lists_exactly_their_own_todos_in_mcp_and_in_rest(self) -> None:
        for actor, user_id in enumerate(self.user_ids):
            failed, listed = self.call(actor, "list_todos")
            assert not failed
            mine = self.model[actor]
            assert sorted(t["id"] for t in listed["items"]) == sorted(mine)
            assert listed["count"] == len(mine)
            assert all(todo == mine[todo["id"]] for todo in listed["items"])
            rest = httpx2.get(
                f"http://{LOOPBACK}:{self.port}/api/v1/todos", headers={"X-User-ID": user_id}
            ).json()
            assert rest == listed
            failed, tags = self.call(actor, "list_tags")
            assert tags == {"items": tag_counts(list(mine.values()))}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with server_thread(memory_app()) as server_port:
        yield server_port


def test_two_users_interleaved_over_mcp_never_see_each_others_todos(port: int) -> None:
    with start_blocking_portal() as portal:

        def machine() -> McpIsolation:
            return McpIsolation(portal, port)

        run_state_machine_as_test(machine, settings=share(0.1))
