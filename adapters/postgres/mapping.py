"""Rows to domain Todos and back. Statements select the columns in TODO_COLUMNS' order."""

from collections.abc import Sequence
from datetime import UTC
from typing import Any
from uuid import UUID

from domain.todo import Todo

TODO_COLUMNS = "id, user_id, title, description, is_completed, created_at, updated_at, version"


def _uuid(value: UUID | str) -> UUID:
    # SQLAlchemy's psycopg2 dialect registers psycopg2's UUID adapter: no need to parse again.
    return value if isinstance(value, UUID) else UUID(value)


def todo_from_row(row: Sequence[Any]) -> Todo:
    id_, user_id, title, description, is_completed, created_at, updated_at, version = row[:8]
    return Todo(
        id=_uuid(id_),
        user_id=_uuid(user_id),
        title=title,
        description=description,
        is_completed=is_completed,
        created_at=created_at.astimezone(UTC),
        updated_at=updated_at.astimezone(UTC),
        version=version,
    )


def todo_params(todo: Todo) -> dict[str, Any]:
    return {
        "id": str(todo.id),
        "user_id": str(todo.user_id),
        "title": todo.title,
        "description": todo.description,
        "is_completed": todo.is_completed,
        "created_at": todo.created_at,
        "updated_at": todo.updated_at,
        "version": todo.version,
    }
