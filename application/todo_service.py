"""The five use cases. Each makes one repository call in the normal case, so an adapter
backed by a remote database pays one round trip per request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from application.errors import IdempotencyKeyReused
from application.ports import IdempotencyKey, ListQuery, PageKey, TagCounts, TodoRepository
from domain.errors import TodoNotFound, VersionMismatch
from domain.organizing import Priority
from domain.todo import Todo, TodoChanges

DEFAULT_MAX_TODOS_PER_USER = 100_000


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class NewTodo:
    title: str
    description: str | None = None
    is_completed: bool = False
    priority: Priority = Priority.NONE
    tags: tuple[str, ...] | list[str] = ()
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ListedTodos:
    items: list[Todo]
    count: int
    next_page: PageKey | None  # None on the last page and when not paging


class TodoService:
    def __init__(
        self,
        repository: TodoRepository,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], UUID] = uuid4,
        max_todos_per_user: int = DEFAULT_MAX_TODOS_PER_USER,
    ) -> None:
        self._repository = repository
        self._clock = clock
        self._new_id = new_id
        self._max_todos = max_todos_per_user

    def create(
        self, user_id: UUID, new: NewTodo, idempotency: IdempotencyKey | None = None
    ) -> Todo:
        """Store a new todo. A repeated idempotency key with the same fingerprint returns the
        todo first created under it; with another fingerprint raises IdempotencyKeyReused.
        A user who already holds the most todos one may gets TodoLimitReached (after the key's
        checks: a replay of an earlier create still answers it)."""
        todo = Todo.create(
            id=self._new_id(),
            user_id=user_id,
            title=new.title,
            description=new.description,
            is_completed=new.is_completed,
            priority=new.priority,
            tags=new.tags,
            due_at=new.due_at,
            now=self._clock(),
        )
        outcome = self._repository.add(user_id, todo, idempotency, self._max_todos)
        if outcome.replayed and idempotency and outcome.fingerprint != idempotency.fingerprint:
            raise IdempotencyKeyReused("this Idempotency-Key was used with a different body")
        return outcome.todo

    def list(self, user_id: UUID, query: ListQuery) -> ListedTodos:
        page = self._repository.list(user_id, query)
        last = page.items[-1] if page.has_more and page.items else None
        next_page = PageKey.of(last, query.sort) if last else None
        return ListedTodos(page.items, page.count, next_page)

    def tags(self, user_id: UUID) -> TagCounts:
        return self._repository.tags(user_id)

    def get(self, user_id: UUID, todo_id: UUID) -> Todo:
        todo = self._repository.get(user_id, todo_id)
        if todo is None:
            raise TodoNotFound(todo_id)
        return todo

    def update(
        self,
        user_id: UUID,
        todo_id: UUID,
        changes: TodoChanges,
        expected_versions: frozenset[int] | None,
    ) -> Todo:
        """Apply `changes`; with `expected_versions`, only if the todo still has one of them.
        Empty changes touch nothing but are still checked against the precondition."""
        if changes.is_empty:
            todo = self.get(user_id, todo_id)
            if expected_versions is not None and todo.version not in expected_versions:
                raise VersionMismatch(todo_id)
            return todo
        return self._repository.update(
            user_id, todo_id, changes, expected_versions=expected_versions, now=self._clock()
        )

    def delete(
        self, user_id: UUID, todo_id: UUID, expected_versions: frozenset[int] | None
    ) -> None:
        self._repository.delete(user_id, todo_id, expected_versions=expected_versions)
