"""Request and response bodies. Requests are checked strictly (no coercion, no unknown fields)
and the domain's own rules run inside validation, so every problem is reported at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from domain.todo import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UNICODE_WHITESPACE,
    Todo,
    description_error,
    title_error,
)

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


class TodoCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"title": "Buy milk", "description": "2 litres", "is_completed": False}]
        },
    )

    title: str = Field(description=_TITLE_DOC, json_schema_extra=_TITLE_SCHEMA)
    description: str | None = Field(
        default=None, description=_DESCRIPTION_DOC, json_schema_extra=_description_schema
    )
    is_completed: bool = False

    _title = field_validator("title")(_checked_title)
    _description = field_validator("description")(_checked_description)


class TodoUpdate(BaseModel):
    """Any subset of the fields; an absent field is left alone, `{}` changes nothing."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"is_completed": True}]}
    )

    title: str = Field(  # type: ignore[assignment]
        default=None, description=_TITLE_DOC + " Not null.", json_schema_extra=_TITLE_SCHEMA
    )
    description: str | None = Field(
        default=None, description=_DESCRIPTION_DOC, json_schema_extra=_description_schema
    )
    is_completed: bool = Field(default=None)  # type: ignore[assignment]

    _title = field_validator("title")(_checked_title)
    _description = field_validator("description")(_checked_description)


def rfc3339(moment: datetime) -> str:
    """2026-01-22T10:30:00.123456Z: always UTC, always microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"  # "+00:00"


class TodoOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
                    "title": "Buy milk",
                    "description": "2 litres",
                    "is_completed": False,
                    "created_at": "2026-01-22T10:30:00.123456Z",
                    "updated_at": "2026-01-22T10:30:00.123456Z",
                    "user_id": "5f1f6a8e-2b7a-4c1e-8a53-0c2d9b7e6f10",
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


def todo_json(todo: Todo) -> dict[str, object]:
    """The wire form of a todo (the TodoOut schema), built directly: the hot path skips
    re-validating data that the domain has already checked."""
    return {
        "id": str(todo.id),
        "title": todo.title,
        "description": todo.description,
        "is_completed": todo.is_completed,
        "created_at": rfc3339(todo.created_at),
        "updated_at": rfc3339(todo.updated_at),
        "user_id": str(todo.user_id),
    }
