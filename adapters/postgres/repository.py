"""PostgresTodoRepository: the TodoRepository port on PostgreSQL, one statement per operation
in the normal case (see statements.py), each bounded in time (calls.py). Failures of the
database become RepositoryUnavailable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine

from adapters.postgres import statements as sql
from adapters.postgres.calls import DatabaseCalls, Deadlines, Row, Rows
from adapters.postgres.list_statement import list_statement
from adapters.postgres.mapping import folded, todo_from_row, todo_params
from application.errors import TodoLimitReached
from application.ports import (
    AddOutcome,
    IdempotencyKey,
    ListQuery,
    RepositoryUnavailable,
    TagCounts,
    TodoPage,
)
from domain.errors import TodoNotFound, VersionMismatch
from domain.todo import KEEP, Todo, TodoChanges

NO_LIMIT = 2**31 - 1  # todo_slot_free() takes an integer
# /health/ready must answer within 3 s (the contract): its probe is cut sooner than a request.
PROBE_DEADLINES = Deadlines(statement_seconds=1.0, lock_seconds=1.0, client_seconds=2.0)


class PostgresTodoRepository:
    def __init__(
        self,
        engine: Engine,
        prepare: Callable[[], None] | None = None,
        *,
        deadlines: Deadlines | None = None,
        probe_engine: Engine | None = None,
    ) -> None:
        """`prepare` (migrating the schema, say) runs before the first statement, and again
        before the next one until it succeeds: a service started while its database was down
        answers 503 until the database is back, then prepares and serves. `probe_engine`, a
        small pool of its own, answers ping() even while every request connection is busy
        or stuck."""
        self._calls = DatabaseCalls(engine, deadlines)
        self._probe = DatabaseCalls(probe_engine or engine, PROBE_DEADLINES)
        self._prepare = prepare

    def add(
        self,
        user_id: UUID,
        todo: Todo,
        idempotency: IdempotencyKey | None,
        max_todos: int | None = None,
    ) -> AddOutcome:
        if todo.user_id != user_id:
            raise ValueError("todo.user_id must be the user it is added for")
        params = todo_params(todo) | {"max_todos": NO_LIMIT if max_todos is None else max_todos}
        if idempotency is None:
            row = self._one(sql.ADD, params, reads_only=False)
            if row is None:
                raise TodoLimitReached(f"a user holds at most {max_todos} todos")
            return AddOutcome(todo_from_row(row, user_id), None, replayed=False)
        params |= {"key": idempotency.key, "fingerprint": idempotency.fingerprint}
        row = self._one(sql.ADD_WITH_KEY, params, reads_only=False)
        if row is None or row[0] == "full":
            # Unless a concurrent create with this key committed meanwhile: then replay it.
            row = self._one(sql.READ_KEY, params) or row
        if row is None:  # cannot happen: the key was claimed by someone, so it is stored
            raise RepositoryUnavailable("idempotency key vanished while being read")
        if row[0] == "full":
            raise TodoLimitReached(f"a user holds at most {max_todos} todos")
        replayed, fingerprint = row[0] == "replayed", row[1]
        return AddOutcome(todo_from_row(row[2:], user_id), fingerprint, replayed=replayed)

    def get(self, user_id: UUID, todo_id: UUID) -> Todo | None:
        row = self._one(sql.GET, {"user_id": str(user_id), "id": str(todo_id)})
        return todo_from_row(row, user_id) if row else None

    def list(self, user_id: UUID, query: ListQuery) -> TodoPage:
        statement, params = list_statement(user_id, query)
        rows = self._all(statement, params)
        count = rows[0][0]
        items = [todo_from_row(row[1:], user_id) for row in rows if row[1] is not None]
        if query.limit is not None and len(items) > query.limit:
            return TodoPage(items[: query.limit], count, has_more=True)
        return TodoPage(items, count, has_more=False)

    def tags(self, user_id: UUID) -> TagCounts:
        return [(tag, count) for tag, count in self._all(sql.TAGS, {"user_id": str(user_id)})]

    def update(
        self,
        user_id: UUID,
        todo_id: UUID,
        changes: TodoChanges,
        *,
        expected_versions: frozenset[int] | None,
        now: datetime,
    ) -> Todo:
        values = {
            name: value
            for name, value in (
                ("title", changes.title),
                ("description", changes.description),
                ("is_completed", changes.is_completed),
                ("priority", KEEP if changes.priority is KEEP else changes.priority.rank),
                ("tags", KEEP if changes.tags is KEEP else list(changes.tags)),
                ("due_at", changes.due_at),
            )
            if value is not KEEP
        }
        text = folded(
            None if changes.title is KEEP else changes.title,
            None if changes.description is KEEP else changes.description,
        )
        if changes.title is not KEEP:
            values["title_key"] = text["title_key"]
        if changes.description is not KEEP:
            values["description_key"] = text["description_key"]
        if not values:
            raise ValueError("update needs at least one change; the use case handles {}")
        statement = sql.update(list(values), conditional=expected_versions is not None)
        params = values | self._key(user_id, todo_id, expected_versions) | {"now": now}
        row = self._one(statement, params, reads_only=False)
        if row is None:
            self._raise_missing_or_stale(user_id, todo_id, expected_versions)
        return todo_from_row(row, user_id)  # type: ignore[arg-type]  # None raised above

    def delete(
        self, user_id: UUID, todo_id: UUID, *, expected_versions: frozenset[int] | None
    ) -> None:
        statement = sql.delete(conditional=expected_versions is not None)
        key = self._key(user_id, todo_id, expected_versions)
        if self._one(statement, key, reads_only=False) is None:
            self._raise_missing_or_stale(user_id, todo_id, expected_versions)

    def ping(self) -> None:
        self._prepared()
        rows = self._probe.run(sql.PING, {}, reads_only=True)
        if not rows or not rows[0][0]:
            raise RepositoryUnavailable("the database is read-only")

    @staticmethod
    def _key(
        user_id: UUID, todo_id: UUID, expected_versions: frozenset[int] | None
    ) -> dict[str, Any]:
        # A list: psycopg2 sends it as an array, for `version = ANY(...)`.
        versions = sorted(expected_versions) if expected_versions is not None else None
        return {"user_id": str(user_id), "id": str(todo_id), "expected_versions": versions}

    def _raise_missing_or_stale(
        self, user_id: UUID, todo_id: UUID, expected_versions: frozenset[int] | None
    ) -> None:
        """After a write matched no row: say why. Costs a second round trip, on failure only."""
        if expected_versions is not None and self._one(
            sql.VERSION, self._key(user_id, todo_id, None)
        ):
            raise VersionMismatch(todo_id)
        raise TodoNotFound(todo_id)

    def _one(
        self, statement: str, params: Mapping[str, Any], *, reads_only: bool = True
    ) -> Row | None:
        rows = self._all(statement, params, reads_only=reads_only)
        return rows[0] if rows else None

    def _all(self, statement: str, params: Mapping[str, Any], *, reads_only: bool = True) -> Rows:
        self._prepared()
        return self._calls.run(statement, params, reads_only=reads_only)

    def _prepared(self) -> None:
        if self._prepare is not None:
            self._prepare()  # raises RepositoryUnavailable until the database answers
            self._prepare = None
