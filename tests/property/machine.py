"""A state machine that drives random request sequences for three users through the HTTP API
and checks every answer against the reference model (model.py)."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import httpx2
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
)

from tests.http.todo_api import headers, todo_url
from tests.property.checked_api import CheckedApi, with_if_match
from tests.property.harness import AppUnderTest, expect_error, new_prefix
from tests.property.model import Json, TodoRef, UserModel, invalid_fields
from tests.property.organizing_model import spec_of, tag_counts
from tests.property.organizing_strategies import list_specs
from tests.property.strategies import (
    IF_MATCH_KINDS,
    create_bodies,
    idempotency_keys,
    if_match_header,
    mostly,
    patch_bodies,
)

USERS = 3
OWNERS = st.integers(0, USERS - 1)
IF_MATCH = st.sampled_from(IF_MATCH_KINDS)
VALID_PATCHES = patch_bodies().filter(lambda body: not invalid_fields(body, creating=False))


class IsolationMachine(RuleBasedStateMachine):
    todos: Bundle[TodoRef] = Bundle("todos")

    def __init__(self, app: AppUnderTest) -> None:
        super().__init__()
        app.restart(new_prefix())
        self.client = app.client
        self.users = [UserModel(str(uuid4())) for _ in range(USERS)]  # fresh for each example
        self.api = CheckedApi(self.client, self.users)
        self.turn = 0
        self.invented = 0

    @rule(target=todos, owner=OWNERS, body=create_bodies(), key=idempotency_keys())
    def create(self, owner: int, body: Json, key: str | None) -> TodoRef | MultipleResults[TodoRef]:
        ref = self.api.create(owner, body, key)
        return multiple() if ref is None else ref

    @precondition(lambda self: any(user.keys for user in self.users))
    @rule(
        target=todos,
        pick=st.integers(0, 2**16),
        same_body=mostly(st.just(True), st.just(False), 30),
        by=mostly(st.just(0), st.integers(1, USERS - 1), 25),
        body=create_bodies(),
    )
    def repeat_a_used_key(
        self, pick: int, same_body: bool, by: int, body: Json
    ) -> TodoRef | MultipleResults[TodoRef]:
        """A used key again: the same body (keys reordered) or another; by its owner (replay
        or 422) or by another user (whose keys are their own)."""
        used = sorted((owner, key) for owner, user in enumerate(self.users) for key in user.keys)
        owner, key = used[pick % len(used)]
        if same_body:
            first: Json = json.loads(self.users[owner].keys[key].body)
            body = dict(reversed(list(first.items())))
        ref = self.api.create((owner + by) % USERS, body, key)
        return multiple() if ref is None else ref

    @precondition(lambda self: self.invented < 2)
    @rule(target=todos, owner=OWNERS)
    def invent_an_id(self, owner: int) -> TodoRef:
        self.invented += 1
        return TodoRef(owner, str(uuid4()))  # never created: behaves like a deleted todo

    @rule(ref=todos)
    def get(self, ref: TodoRef) -> None:
        self.api.get(ref)

    @rule(ref=todos, body=patch_bodies(), if_match=IF_MATCH)
    def update(self, ref: TodoRef, body: Json, if_match: str) -> None:
        self.api.patch(ref, body, if_match)

    @rule(ref=todos, body=VALID_PATCHES, if_match=IF_MATCH)
    def update_validly(self, ref: TodoRef, body: Json, if_match: str) -> None:
        self.api.patch(ref, body, if_match)

    @rule(ref=todos, if_match=IF_MATCH)
    def delete(self, ref: TodoRef, if_match: str) -> None:
        self.api.delete(ref, if_match)

    @rule(
        ref=todos,
        offset=st.integers(1, USERS - 1),
        method=st.sampled_from(["GET", "PATCH", "DELETE"]),
        if_match=IF_MATCH,
        body=VALID_PATCHES,
    )
    def intrude(self, ref: TodoRef, offset: int, method: str, if_match: str, body: Json) -> None:
        """Another user's GET, PATCH or DELETE of this todo answers exactly as for an id
        that exists nowhere, and the owner's todo is untouched."""
        intruder = self.users[(ref.owner + offset) % USERS]
        stored = self.users[ref.owner].todos.get(ref.id)
        tag = if_match_header(if_match, stored.version if stored else 1)

        def send(todo_id: str) -> httpx2.Response:
            return self.client.request(
                method,
                todo_url(todo_id),
                json=body if method == "PATCH" else None,
                headers=with_if_match(intruder.id, tag),
            )

        theirs, missing = send(ref.id), send(str(uuid4()))
        expect_error(theirs, 404, "NOT_FOUND")
        assert (theirs.content, theirs.headers["content-type"]) == (
            missing.content,
            missing.headers["content-type"],
        )
        self.api.get(ref)

    @rule(
        owner=OWNERS,
        sent=list_specs(),
        limit=st.none() | st.integers(1, 4),
        meddle=st.sampled_from(["none", "none", "create", "delete", "flip", "retag"]),
        body=create_bodies(),
        changes=VALID_PATCHES,
    )
    def list_every_page(
        self,
        owner: int,
        sent: dict[str, str],
        limit: int | None,
        meddle: str,
        body: Json,
        changes: Json,
    ) -> None:
        """Walk all pages of a random filter and sort; after the first, maybe create, delete,
        (un)complete or otherwise change a todo: no todo is skipped or repeated, and each page
        is the model's next slice. Another user's todos never match."""
        user = self.users[owner]
        params: dict[str, Any] = dict(sent)
        spec = spec_of(sent)
        event(f"list: sort {spec['sort']}, {len(sent) - ('sort' in sent)} filter(s)")
        if limit is None:
            expected = user.listing(spec)
            page = self.api.list_page(user, params)
            assert page == {"items": expected, "count": len(expected), "next_cursor": None}
            return
        params["limit"] = limit
        last: Json | None = None
        while True:
            page = self.api.list_page(user, params)
            remaining = user.listing(spec, after=last)
            assert page["count"] == user.count(spec)
            assert page["items"] == remaining[:limit]
            if len(remaining) <= limit:
                assert page["next_cursor"] is None, page
                return
            assert isinstance(page["next_cursor"], str), page
            params["cursor"], last = page["next_cursor"], page["items"][-1]
            upcoming = TodoRef(owner, remaining[limit]["id"])
            if meddle == "create":
                self.api.create(owner, body, None)
            elif meddle == "delete":
                self.api.delete(upcoming, "none")
            elif meddle == "flip":
                flipped = not user.todos[upcoming.id].todo["is_completed"]
                self.api.patch(upcoming, {"is_completed": flipped}, "current")
            elif meddle == "retag":  # any valid change: tags, priority, due date, title ...
                self.api.patch(upcoming, changes, "none")
            meddle = "none"

    @rule(owner=OWNERS)
    def list_tags(self, owner: int) -> None:
        """A user's tags are exactly those of their own todos, counted."""
        user = self.users[owner]
        response = self.client.get("/api/v1/tags", headers=headers(user.id))
        assert response.status_code == 200, response.text
        todos = [stored.todo for stored in user.todos.values()]
        assert response.json() == {"items": tag_counts(todos)}

    @invariant()
    def one_user_in_turn_sees_exactly_their_own_todos(self) -> None:
        user = self.users[self.turn % USERS]
        self.turn += 1
        expected = user.listing()
        page = self.api.list_page(user, {})
        assert page == {"items": expected, "count": len(expected), "next_cursor": None}


def isolation_machine(app: AppUnderTest) -> type[IsolationMachine]:
    """The machine bound to `app` (Hypothesis builds a fresh instance per example)."""

    class IsolationMachineOnApp(IsolationMachine):
        def __init__(self) -> None:
            super().__init__(app)

    return IsolationMachineOnApp
