"""The port every storage adapter implements. Each method takes the user's id: there is no
way to read or change a todo without naming whose it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.list_query import ListQuery as ListQuery
from application.list_query import PageKey as PageKey
from application.list_query import Sort as Sort
from application.list_query import SortKey as SortKey
from application.list_query import TagCounts as TagCounts
from domain.todo import Todo, TodoChanges


@dataclass(frozen=True, slots=True)
class TodoPage:
    items: list[Todo]
    count: int  # todos matching every filter, on every page
    has_more: bool


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    key: str
    fingerprint: str  # identifies the request body; a replay must carry the same one


@dataclass(frozen=True, slots=True)
class AddOutcome:
    todo: Todo  # the todo stored now, or the one first stored under the key
    fingerprint: str | None  # the fingerprint stored with the key, if a key was given
    replayed: bool  # True: the key was known, nothing was stored


class RepositoryUnavailable(Exception):
    """The store cannot be reached or timed out. Adapters raise it; the API answers 503."""


class TodoRepository(Protocol):
    def add(
        self,
        user_id: UUID,
        todo: Todo,
        idempotency: IdempotencyKey | None,
        max_todos: int | None = None,
    ) -> AddOutcome:
        """Store `todo` (provisioning the user if new), atomically with the idempotency key.
        If the key is already stored for this user, store nothing and return what it recorded.
        Else, if the user already holds `max_todos` todos, store nothing and raise
        TodoLimitReached; of concurrent adds at the limit, at most one is stored."""
        ...

    def get(self, user_id: UUID, todo_id: UUID) -> Todo | None: ...

    def list(self, user_id: UUID, query: ListQuery) -> TodoPage: ...

    def tags(self, user_id: UUID) -> TagCounts:
        """Every tag the user's todos carry, sorted by code point, with how many carry it."""
        ...

    def update(
        self,
        user_id: UUID,
        todo_id: UUID,
        changes: TodoChanges,
        *,
        expected_versions: frozenset[int] | None,
        now: datetime,
    ) -> Todo:
        """Apply non-empty `changes` if the todo exists (and has one of `expected_versions`,
        if given).
        Raises TodoNotFound or VersionMismatch, changing nothing."""
        ...

    def delete(
        self, user_id: UUID, todo_id: UUID, *, expected_versions: frozenset[int] | None
    ) -> None:
        """Raises TodoNotFound or VersionMismatch, deleting nothing."""
        ...

    def ping(self) -> None:
        """Return if the store answers; raise RepositoryUnavailable if not."""
        ...
