"""A state machine that sends each random request to two apps, one on the in-memory adapter
and one on PostgreSQL, and requires the same answer from both: status, headers (all but
X-Request-ID) and body. Both apps' TodoService read the same deterministic clock and id
generator, so even ids, timestamps and cursors must agree."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx2
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    multiple,
    precondition,
    rule,
)

from tests.http.todo_api import JSON, TODOS, headers, todo_url
from tests.property.harness import AppUnderTest, new_prefix
from tests.property.model import Json
from tests.property.organizing_strategies import list_specs
from tests.property.strategies import create_bodies, idempotency_keys, mostly, patch_bodies

USERS = 2
USER = st.integers(0, USERS - 1)
IF_MATCH = st.sampled_from([None, None, '"1"', '"2"', '"3"', "*", 'W/"1"'])


def comparable(response: httpx2.Response) -> tuple[int, dict[str, str], object]:
    kept = {name: value for name, value in response.headers.items() if name != "x-request-id"}
    is_json = response.headers.get("content-type", "").startswith(JSON)
    return response.status_code, kept, response.json() if is_json else response.content


class AdaptersAgreeMachine(RuleBasedStateMachine):
    ids: Bundle[str] = Bundle("ids")

    def __init__(self, sides: tuple[AppUnderTest, AppUnderTest]) -> None:
        super().__init__()
        self.sides = sides
        prefix = new_prefix()
        for side in sides:
            side.restart(prefix)
        self.users = [str(uuid4()) for _ in range(USERS)]
        self.keyed: list[tuple[int, str, Json]] = []  # (user, key, body) of keyed creates

    def send(
        self,
        method: str,
        url: str,
        user: int,
        body: Json | None = None,
        params: dict[str, Any] | None = None,
        extra: dict[str, str] | None = None,
    ) -> httpx2.Response:
        hdrs = headers(self.users[user], **(extra or {}))
        first, second = (
            side.client.request(method, url, json=body, params=params, headers=hdrs)
            for side in self.sides
        )
        assert comparable(first) == comparable(second), (self.sides[0].name, self.sides[1].name)
        return first

    @staticmethod
    def _if_match(if_match: str | None) -> dict[str, str]:
        return {} if if_match is None else {"if_match": if_match}

    @rule(target=ids, user=USER, body=create_bodies(), key=idempotency_keys())
    def create(self, user: int, body: Json, key: str | None) -> str | MultipleResults[str]:
        extra = {} if key is None else {"idempotency_key": key}
        response = self.send("POST", TODOS, user, body, extra=extra)
        if key is not None and response.status_code == 201:
            self.keyed.append((user, key, body))
        return str(response.json()["id"]) if response.status_code == 201 else multiple()

    @precondition(lambda self: bool(self.keyed))
    @rule(
        target=ids,
        pick=st.integers(0, 2**16),
        same_body=mostly(st.just(True), st.just(False), 30),
        by=mostly(st.just(0), st.just(1), 25),
        body=create_bodies(),
    )
    def repeat_a_used_key(
        self, pick: int, same_body: bool, by: int, body: Json
    ) -> str | MultipleResults[str]:
        user, key, first = self.keyed[pick % len(self.keyed)]
        if same_body:
            body = dict(reversed(list(first.items())))  # the same JSON value
        response = self.send(
            "POST", TODOS, (user + by) % USERS, body, extra={"idempotency_key": key}
        )
        return str(response.json()["id"]) if response.status_code == 201 else multiple()

    @rule(todo_id=ids, user=USER)
    def get(self, todo_id: str, user: int) -> None:
        self.send("GET", todo_url(todo_id), user)

    @rule(todo_id=ids, user=USER, body=patch_bodies(), if_match=IF_MATCH)
    def update(self, todo_id: str, user: int, body: Json, if_match: str | None) -> None:
        self.send("PATCH", todo_url(todo_id), user, body, extra=self._if_match(if_match))

    @rule(todo_id=ids, user=USER, if_match=IF_MATCH)
    def delete(self, todo_id: str, user: int, if_match: str | None) -> None:
        self.send("DELETE", todo_url(todo_id), user, extra=self._if_match(if_match))

    @rule(user=USER, sent=list_specs(), limit=st.none() | st.integers(1, 4))
    def list_every_page(self, user: int, sent: dict[str, str], limit: int | None) -> None:
        """Every filter and sort, every page: the same items, counts and cursors."""
        params: dict[str, Any] = dict(sent)
        if limit is not None:
            params["limit"] = limit
        for _ in range(100):
            page = self.send("GET", TODOS, user, params=params)
            assert page.status_code == 200, page.text
            cursor = page.json()["next_cursor"]
            if cursor is None:
                return
            params["cursor"] = cursor
        raise AssertionError("paging did not end")

    @rule(user=USER)
    def list_tags(self, user: int) -> None:
        self.send("GET", "/api/v1/tags", user)


def adapters_agree(sides: tuple[AppUnderTest, AppUnderTest]) -> type[AdaptersAgreeMachine]:
    """The machine bound to these two apps (Hypothesis builds a fresh instance per example)."""

    class AdaptersAgreeOnTheseApps(AdaptersAgreeMachine):
        def __init__(self) -> None:
            super().__init__(sides)

    return AdaptersAgreeOnTheseApps
