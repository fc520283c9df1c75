"""TodoRepository kept in process memory: the fast tests' adapter. Thread-safe, because the
API runs its sync routes on a thread pool."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cmp_to_key
from uuid import UUID

from application.errors import TodoLimitReached
from application.list_query import Sort, SortKey, SortValue, TagCounts
from application.ports import AddOutcome, IdempotencyKey, ListQuery, PageKey, TodoPage
from domain.errors import TodoNotFound, VersionMismatch
from domain.todo import Todo, TodoChanges


@dataclass(frozen=True, slots=True)
class _IdempotencyRecord:
    fingerprint: str
    todo: Todo  # as first created: a replay answers this even after changes or deletion


def _position(todo: Todo, sort: Sort) -> PageKey:
    return PageKey.of(todo, sort)


def _compare(a: PageKey, b: PageKey, sort: Sort) -> int:
    """-1 if `a` comes first in the sort's order, 1 if `b` does, 0 if they are the same.
    A missing due date comes last in both directions."""
    if sort.key is SortKey.DUE_AT and (a.value is None) != (b.value is None):
        return 1 if a.value is None else -1
    left: tuple[SortValue, datetime, UUID] = (a.value, a.created_at, a.id)
    right: tuple[SortValue, datetime, UUID] = (b.value, b.created_at, b.id)
    if left == right:
        return 0
    if a.value is None or b.value is None:  # both None here: compare the tie-breakers
        ascending = (a.created_at, a.id) < (b.created_at, b.id)
    else:
        ascending = left < right  # values of one key share a type
    return (1 if ascending else -1) if sort.descending else (-1 if ascending else 1)


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
        todos = [todo for todo in todos if query.matches(todo)]
        count = len(todos)
        sort = query.sort

        def order(a: Todo, b: Todo) -> int:
            return _compare(_position(a, sort), _position(b, sort), sort)

        todos.sort(key=cmp_to_key(order))
        if query.after is not None:
            after = query.after
            todos = [t for t in todos if _compare(_position(t, sort), after, sort) > 0]
        if query.limit is None:
            return TodoPage(todos, count, has_more=False)
        return TodoPage(todos[: query.limit], count, has_more=len(todos) > query.limit)

    def tags(self, user_id: UUID) -> TagCounts:
        with self._lock:
            todos = list(self._todos.get(user_id, {}).values())
        counted = Counter(tag for todo in todos for tag in todo.tags)
        return sorted(counted.items())

    def update(
        self,
        user_id: UUID,
        todo_id: UUID,
        changes: TodoChanges,
        *,
        expected_versions: frozenset[int] | None,
        now: datetime,
    ) -> Todo:
        with self._lock:
            todos = self._todos.get(user_id, {})
            current = self._current(todos, todo_id, expected_versions)
            updated = current.apply(changes, now)
            todos[todo_id] = updated
            return updated

    def delete(
        self, user_id: UUID, todo_id: UUID, *, expected_versions: frozenset[int] | None
    ) -> None:
        with self._lock:
            todos = self._todos.get(user_id, {})
            self._current(todos, todo_id, expected_versions)
            del todos[todo_id]

    def ping(self) -> None:
        return None

    @staticmethod
    def _current(
        todos: dict[UUID, Todo], todo_id: UUID, expected_versions: frozenset[int] | None
    ) -> Todo:
        current = todos.get(todo_id)
        if current is None:
            raise TodoNotFound(todo_id)
        if expected_versions is not None and current.version not in expected_versions:
            raise VersionMismatch(todo_id)
        return current
