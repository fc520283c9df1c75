"""Rows to domain Todos and back. Statements select the columns in TODO_COLUMNS' order."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.organizing import Priority, fold_case
from domain.todo import Todo

TODO_COLUMNS = (
    "id, user_id, title, description, is_completed, created_at, updated_at, version,"
    " priority, tags, due_at, completed_at"
)
# Written beside the todo, never read back: the domain's case folding of the text, which
# sort=title orders by and q searches (see domain.organizing.fold_case).
FOLDED_COLUMNS = "title_key, description_key"


def _uuid(value: UUID | str) -> UUID:
    # The engine leaves uuid columns as text (engine.py): each is parsed here, once.
    return value if isinstance(value, UUID) else UUID(value)


def _in_utc(moment: datetime) -> datetime:
    # psycopg2 gives timezone.utc (UTC itself) when the session's TimeZone is UTC, as on Neon;
    # astimezone costs a call per value even then.
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _in_utc(moment)


def todo_from_row(row: Sequence[Any], owner: UUID) -> Todo:
    """The todo in `row`, which belongs to `owner`: every statement reads the caller's rows only
    (its WHERE and row-level security), so the user_id column is not parsed again for each row
    (a list of 50 saves 50 UUID parses)."""
    (id_, _user_id, title, description, is_completed, created_at, updated_at, version,
     priority, tags, due_at, completed_at) = row[:12]  # fmt: skip
    # Positional: a frozen dataclass's keywords cost 0.4 us more per todo, 20 us per page of 50.
    return Todo(
        _uuid(id_), owner, title, description, is_completed, _in_utc(created_at),
        _in_utc(updated_at), version, Priority.of_rank(priority), tuple(tags), _utc(due_at),
        _utc(completed_at),
    )  # fmt: skip


def folded(title: str | None, description: str | None) -> dict[str, Any]:
    return {
        "title_key": None if title is None else fold_case(title),
        "description_key": None if description is None else fold_case(description),
    }


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
        "priority": todo.priority.rank,
        "tags": list(todo.tags),
        "due_at": todo.due_at,
        "completed_at": todo.completed_at,
    } | folded(todo.title, todo.description)
