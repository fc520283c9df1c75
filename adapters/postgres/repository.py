"""PostgresTodoRepository: the TodoRepository port on PostgreSQL, one statement per operation
in the normal case (see statements.py). Failures of the database become RepositoryUnavailable."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg2
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from adapters.postgres import statements as sql
from adapters.postgres.connect_errors import unavailable
from adapters.postgres.list_statement import list_statement
from adapters.postgres.mapping import folded, todo_from_row, todo_params
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

# raw_connection() lets the driver's own connect errors through, unlike Engine.connect().
_CONNECT_FAILURES = (
    psycopg2.OperationalError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
)

Row = Sequence[Any]
Rows = list[Row]  # named outside the class, where `list` is not the method below


class PostgresTodoRepository:
    def __init__(self, engine: Engine, prepare: Callable[[], None] | None = None) -> None:
        """`prepare` (migrating the schema, say) runs before the first statement, and again
        before the next one until it succeeds: a service started while its database was down
        answers 503 until the database is back, then prepares and serves."""
        self._engine = engine
        self._prepare = prepare

    def add(self, user_id: UUID, todo: Todo, idempotency: IdempotencyKey | None) -> AddOutcome:
        if todo.user_id != user_id:
            raise ValueError("todo.user_id must be the user it is added for")
        params = todo_params(todo)
        if idempotency is None:
            row = self._one(sql.ADD, params)
            assert row is not None  # an INSERT ... RETURNING without conflict returns its row
            return AddOutcome(todo_from_row(row), None, replayed=False)
        params |= {"key": idempotency.key, "fingerprint": idempotency.fingerprint}
        row = self._one(sql.ADD_WITH_KEY, params) or self._one(sql.READ_KEY, params)
        if row is None:  # cannot happen: the key was claimed by someone, so it is stored
            raise RepositoryUnavailable("idempotency key vanished while being read")
        replayed, fingerprint = row[0], row[1]
        return AddOutcome(todo_from_row(row[2:]), fingerprint, replayed=replayed)

    def get(self, user_id: UUID, todo_id: UUID) -> Todo | None:
        row = self._one(sql.GET, {"user_id": str(user_id), "id": str(todo_id)})
        return todo_from_row(row) if row else None

    def list(self, user_id: UUID, query: ListQuery) -> TodoPage:
        statement, params = list_statement(user_id, query)
        rows = self._all(statement, params)
        count = rows[0][0]
        items = [todo_from_row(row[1:]) for row in rows if row[1] is not None]
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
        row = self._one(statement, params)
        if row is None:
            self._raise_missing_or_stale(user_id, todo_id, expected_versions)
        return todo_from_row(row)  # type: ignore[arg-type]  # None raised above

    def delete(
        self, user_id: UUID, todo_id: UUID, *, expected_versions: frozenset[int] | None
    ) -> None:
        statement = sql.delete(conditional=expected_versions is not None)
        if self._one(statement, self._key(user_id, todo_id, expected_versions)) is None:
            self._raise_missing_or_stale(user_id, todo_id, expected_versions)

    def ping(self) -> None:
        self._one(sql.PING, {})

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

    def _one(self, statement: str, params: Mapping[str, Any]) -> Row | None:
        rows = self._all(statement, params)
        return rows[0] if rows else None

    def _all(self, statement: str, params: Mapping[str, Any]) -> Rows:
        """One round trip on a pooled connection. The DBAPI connection is used directly: a
        SQLAlchemy Connection and Result cost 20-40 µs a statement, a tenth of a request."""
        if self._prepare is not None:
            self._prepare()  # raises RepositoryUnavailable until the database answers
            self._prepare = None
        try:
            connection = self._engine.raw_connection()
        except _CONNECT_FAILURES as error:  # refused, timed out, or the pool is exhausted
            raise unavailable(error) from error
        try:
            cursor = connection.cursor()
            cursor.execute(statement, params)
            rows = list(cursor.fetchall())
            cursor.close()
            return rows
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            if self._engine.dialect.is_disconnect(error, connection.dbapi_connection, None):
                # The server went away: this connection, and likely every pooled one, is dead.
                # A fresh pool reconnects on the next request instead of failing once per
                # stale connection.
                connection.invalidate(error)
                self._engine.dispose(close=False)
            raise RepositoryUnavailable("the database did not answer") from error
        finally:
            connection.close()  # back to the pool
