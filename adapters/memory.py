"""TodoRepository kept in process memory: the fast tests' adapter. Thread-safe, because the
API runs its sync routes on a thread pool."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.errors import TodoLimitReached
from application.ports import AddOutcome, IdempotencyKey, ListQuery, TodoPage
from domain.errors import TodoNotFound, VersionMismatch
from domain.todo import Todo, TodoChanges


@dataclass(frozen=True, slots=True)
class _IdempotencyRecord:
    fingerprint: str
    todo: Todo  # as first created: a replay answers this even after changes or deletion


def _list_order(todo: Todo) -> tuple[datetime, UUID]:
    return (todo.created_at, todo.id)


class InMemoryTodoRepository:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._todos: dict[UUID, dict[UUID, Todo]] = {}  # user id -> todo id -> todo
        self._idempotency: dict[tuple[UUID, str], _IdempotencyRecord] = {}

    def add(
        self,
        user_id: UUID,
        todo: Todo,
        idempotency: IdempotencyKey | None,
        max_todos: int | None = None,
    ) -> AddOutcome:
        if todo.user_id != user_id:
            raise ValueError("todo.user_id must be the user it is added for")
        with self._lock:
            if idempotency is not None:
                known = self._idempotency.get((user_id, idempotency.key))
                if known is not None:
                    return AddOutcome(known.todo, known.fingerprint, replayed=True)
            if max_todos is not None and len(self._todos.get(user_id, {})) >= max_todos:
                raise TodoLimitReached(f"a user holds at most {max_todos} todos")
            if idempotency is not None:
                self._idempotency[(user_id, idempotency.key)] = _IdempotencyRecord(
                    idempotency.fingerprint, todo
                )
            self._todos.setdefault(user_id, {})[todo.id] = todo
        fingerprint = idempotency.fingerprint if idempotency else None
        return AddOutcome(todo, fingerprint, replayed=False)

    def get(self, user_id: UUID, todo_id: UUID) -> Todo | None:
        with self._lock:
            return self._todos.get(user_id, {}).get(todo_id)

    def list(self, user_id: UUID, query: ListQuery) -> TodoPage:
        with self._lock:
            todos = list(self._todos.get(user_id, {}).values())
        if query.is_completed is not None:
            todos = [t for t in todos if t.is_completed == query.is_completed]
        count = len(todos)
        todos.sort(key=_list_order, reverse=True)
        if query.after is not None:
            after = (query.after.created_at, query.after.id)
            todos = [t for t in todos if _list_order(t) < after]
        if query.limit is None:
            return TodoPage(todos, count, has_more=False)
        return TodoPage(todos[: query.limit], count, has_more=len(todos) > query.limit)

    def update(
        self,
        user_id: UUID,
        todo_id: UUID,
        changes: TodoChanges,
        *,
        expected_version: int | None,
        now: datetime,
    ) -> Todo:
        with self._lock:
            todos = self._todos.get(user_id, {})
            current = self._current(todos, todo_id, expected_version)
            updated = current.apply(changes, now)
            todos[todo_id] = updated
            return updated

    def delete(self, user_id: UUID, todo_id: UUID, *, expected_version: int | None) -> None:
        with self._lock:
            todos = self._todos.get(user_id, {})
            self._current(todos, todo_id, expected_version)
            del todos[todo_id]

    def ping(self) -> None:
        return None

    @staticmethod
    def _current(todos: dict[UUID, Todo], todo_id: UUID, expected_version: int | None) -> Todo:
        current = todos.get(todo_id)
        if current is None:
            raise TodoNotFound(todo_id)
        if expected_version is not None and current.version != expected_version:
            raise VersionMismatch(todo_id)
        return current
