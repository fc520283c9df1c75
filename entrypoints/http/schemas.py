"""Request and response bodies. Requests are checked strictly (no coercion, no unknown fields)
and the domain's own rules run inside validation, so every problem is reported at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from application.list_query import ListQuery, TagCounts
from application.todo_service import ListedTodos
from domain.organizing import MAX_TAGS, TAG_MAX_LENGTH, Priority, due_at_error, tags_error
from domain.todo import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UNICODE_WHITESPACE,
    Todo,
    description_error,
    title_error,
)
from entrypoints.http.cursor import encode_cursor
from entrypoints.http.instants import parse_rfc3339

_TITLE_DOC = f"1..{TITLE_MAX_LENGTH} characters after trimming outer whitespace; no U+0000."
_DESCRIPTION_DOC = (
    f"0..{DESCRIPTION_MAX_LENGTH} characters, stored as given; null = not given, "
    '"" = explicitly cleared; no U+0000.'
)


def _escaped(characters: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in characters)


# The title rule as a JSON Schema pattern, so that clients and fuzzers know exactly which
# titles are accepted: optional Unicode whitespace (the domain's set), then 1..255 characters
# that start and end with non-whitespace, then optional whitespace; no NUL anywhere. Only
# documented (json_schema_extra): the domain's own checks give the error messages.
_WS = _escaped(UNICODE_WHITESPACE)
_TITLE_PATTERN = (
    f"^[{_WS}]*[^{_WS}\\u0000](?:[^\\u0000]{{0,{TITLE_MAX_LENGTH - 2}}}[^{_WS}\\u0000])?[{_WS}]*$"
)
_TITLE_SCHEMA: dict[str, Any] = {"minLength": 1, "pattern": _TITLE_PATTERN}


def _description_schema(schema: dict[str, Any]) -> None:
    # On the string branch of `string | null`, where generated clients look for it.
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch.update(maxLength=DESCRIPTION_MAX_LENGTH, pattern="^[^\\u0000]*$")


def _checked_title(value: Any) -> str:
    title, problem = title_error(value)
    if problem:
        raise PydanticCustomError("todo_rule", problem)
    return title


def _checked_description(value: Any) -> str | None:
    problem = description_error(value)
    if problem:
        raise PydanticCustomError("todo_rule", problem)
    return value  # type: ignore[no-any-return]


_PRIORITY_DOC = "none < low < medium < high."
_TAGS_DOC = (
    f"0..{MAX_TAGS} tags, each trimmed and lower-cased, then 1..{TAG_MAX_LENGTH} characters with"
    " no comma or control character; duplicates collapse; stored sorted. In a PATCH the list"
    " replaces the old one ([] clears it)."
)
_DUE_AT_DOC = "RFC 3339 date-time with Z or a numeric offset (years 1..9999); null = no due date."


def _checked_priority(value: Any) -> Priority:
    priority = Priority.parse(value)
    if priority is None:
        raise PydanticCustomError("todo_rule", "must be one of none, low, medium, high")
    return priority


def _checked_tags(value: Any) -> list[str]:
    tags, problem = tags_error(value)
    if problem:
        raise PydanticCustomError("todo_rule", problem)
    return list(tags)


def _checked_due_at(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = parse_rfc3339(value) if isinstance(value, str) else None
    if moment is None:
        raise PydanticCustomError(
            "todo_rule", "must be an RFC 3339 date-time with Z or a numeric offset, or null"
        )
    instant, problem = due_at_error(moment)
    if problem:
        raise PydanticCustomError("todo_rule", problem)
    return instant


class _Organizing(BaseModel):
    """The v1.2 fields of a body, checked by the domain's rules before their types."""

    _priority = field_validator("priority", mode="before", check_fields=False)(_checked_priority)
    _tags = field_validator("tags", mode="before", check_fields=False)(_checked_tags)
    _due_at = field_validator("due_at", mode="before", check_fields=False)(_checked_due_at)


class TodoCreate(_Organizing):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "title": "Buy milk",
                    "description": "2 litres",
                    "is_completed": False,
                    "priority": "high",
                    "tags": ["home", "shopping"],
                    "due_at": "2026-02-01T17:00:00+01:00",
                }
            ]
        },
    )

    title: str = Field(description=_TITLE_DOC, json_schema_extra=_TITLE_SCHEMA)
    description: str | None = Field(
        default=None, description=_DESCRIPTION_DOC, json_schema_extra=_description_schema
    )
    is_completed: bool = False
    priority: Priority = Field(default=Priority.NONE, description=_PRIORITY_DOC)
    tags: list[str] = Field(default=[], description=_TAGS_DOC, max_length=MAX_TAGS)
    due_at: datetime | None = Field(default=None, description=_DUE_AT_DOC)

    _title = field_validator("title")(_checked_title)
    _description = field_validator("description")(_checked_description)


class TodoUpdate(_Organizing):
    """Any subset of the fields; an absent field is left alone, `{}` changes nothing."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"is_completed": True},
                {"priority": "low", "tags": ["work"], "due_at": None},
            ]
        },
    )

    title: str = Field(  # type: ignore[assignment]
        default=None, description=_TITLE_DOC + " Not null.", json_schema_extra=_TITLE_SCHEMA
    )
    description: str | None = Field(
        default=None, description=_DESCRIPTION_DOC, json_schema_extra=_description_schema
    )
    is_completed: bool = Field(default=None)  # type: ignore[assignment]
    priority: Priority = Field(default=None, description=_PRIORITY_DOC + " Not null.")  # type: ignore[assignment]
    tags: list[str] = Field(
        default=None,  # type: ignore[arg-type]
        description=_TAGS_DOC + " Not null.",
        max_length=MAX_TAGS,
    )
    due_at: datetime | None = Field(default=None, description=_DUE_AT_DOC)

    _title = field_validator("title")(_checked_title)
    _description = field_validator("description")(_checked_description)


def rfc3339(moment: datetime) -> str:
    """2026-01-22T10:30:00.123456Z: always UTC, always microseconds."""
    if moment.tzinfo is not UTC:  # the adapters already give UTC: skip astimezone's work
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"  # "+00:00"


class TodoOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
                    "title": "Buy milk",
                    "description": "2 litres",
                    # Completed, so that completed_at has a value: FastAPI drops every null
                    # from the document, examples included, and a required key would go too.
                    "is_completed": True,
                    "created_at": "2026-01-22T10:30:00.123456Z",
                    "updated_at": "2026-01-22T11:02:00.000000Z",
                    "user_id": "5f1f6a8e-2b7a-4c1e-8a53-0c2d9b7e6f10",
                    "priority": "high",
                    "tags": ["home", "shopping"],
                    "due_at": "2026-02-01T16:00:00.000000Z",
                    "completed_at": "2026-01-22T11:02:00.000000Z",
                }
            ]
        }
    )

    id: UUID
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    description: str | None = Field(max_length=DESCRIPTION_MAX_LENGTH)
    is_completed: bool
    created_at: datetime
    updated_at: datetime
    user_id: UUID
    priority: Priority
    tags: list[str]
    due_at: datetime | None
    completed_at: datetime | None = Field(
        description="When is_completed last became true; null while not completed. Read-only."
    )


class TodoList(BaseModel):
    items: list[TodoOut]
    count: int = Field(description="Todos of the user matching the filter, not the page length.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last."
    )


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ErrorEnvelope(BaseModel):
    detail: str
    error_code: str
    field_errors: list[FieldErrorOut] | None = None


class Health(BaseModel):
    status: str


def todo_json(todo: Todo, user_id: str | None = None) -> dict[str, object]:
    """The wire form of a todo (the TodoOut schema), built directly: the hot path skips
    re-validating data that the domain has already checked. `user_id`, if given, is
    str(todo.user_id), made once for a page of one user's todos."""
    created_at = rfc3339(todo.created_at)
    # Formatting an instant is the costliest part of a listed todo; an unchanged todo's
    # updated_at is its created_at, and completing sets completed_at to updated_at.
    updated_at = created_at if todo.updated_at == todo.created_at else rfc3339(todo.updated_at)
    completed_at = todo.completed_at
    return {
        "id": str(todo.id),
        "title": todo.title,
        "description": todo.description,
        "is_completed": todo.is_completed,
        "created_at": created_at,
        "updated_at": updated_at,
        "user_id": str(todo.user_id) if user_id is None else user_id,
        "priority": todo.priority.value,
        "tags": list(todo.tags),
        "due_at": None if todo.due_at is None else rfc3339(todo.due_at),
        "completed_at": (
            None
            if completed_at is None
            else updated_at
            if completed_at == todo.updated_at
            else rfc3339(completed_at)
        ),
    }


def page_json(todos: Sequence[Todo]) -> list[dict[str, object]]:
    """The wire form of todos that all belong to one user (a page of a list): the user's id is
    formatted once rather than once per todo (0.55 us each)."""
    if not todos:
        return []
    owner = todos[0].user_id
    owner_text = str(owner)
    return [todo_json(todo, owner_text if todo.user_id == owner else None) for todo in todos]


def list_json(listed: ListedTodos, query: ListQuery) -> dict[str, object]:
    """The wire form of one page of a list (the TodoList schema)."""
    next_page = listed.next_page
    return {
        "items": page_json(listed.items),
        "count": listed.count,
        "next_cursor": encode_cursor(next_page, query) if next_page else None,
    }


def tags_json(tags: TagCounts) -> dict[str, object]:
    """The wire form of the user's tags (the TagList schema)."""
    return {"items": [{"tag": tag, "count": count} for tag, count in tags]}


class TagCount(BaseModel):
    tag: str
    count: int = Field(description="How many of the user's todos carry the tag.")


class TagList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [{"tag": "home", "count": 3}]}]}
    )

    items: list[TagCount] = Field(description="Every tag of the user's todos, sorted by tag.")
