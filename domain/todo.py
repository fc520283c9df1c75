"""The Todo entity and the rules every todo obeys, whatever stores it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from uuid import UUID

from domain.errors import FieldError, InvalidTodo

TITLE_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 2000

# Unicode's White_Space property, spelled out: str.strip() would also strip U+001C..U+001F,
# which Unicode does not call whitespace, and the database's CHECK must say the same thing.
UNICODE_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class _Keep(Enum):
    """Marks a field a change leaves alone; distinct from None, which clears a description."""

    KEEP = "keep"


KEEP = _Keep.KEEP


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "must not contain the NUL character (U+0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def title_error(raw: object) -> tuple[str, str | None]:
    """Trim a title and say what is wrong with it, if anything: (trimmed title, problem)."""
    if not isinstance(raw, str):
        return "", "must be a string"
    title = raw.strip(UNICODE_WHITESPACE)
    problem = _text_problem(title)
    if problem is None and not title:
        problem = "must not be blank"
    if problem is None and len(title) > TITLE_MAX_LENGTH:
        problem = f"must be at most {TITLE_MAX_LENGTH} characters"
    return title, problem


def description_error(raw: object) -> str | None:
    """Say what is wrong with a description (None is fine: it means 'not given')."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return "must be a string or null"
    problem = _text_problem(raw)
    if problem is None and len(raw) > DESCRIPTION_MAX_LENGTH:
        problem = f"must be at most {DESCRIPTION_MAX_LENGTH} characters"
    return problem


def normalize_title(raw: object) -> str:
    title, problem = title_error(raw)
    if problem:
        raise InvalidTodo([FieldError("title", problem)])
    return title


def check_description(raw: object) -> str | None:
    problem = description_error(raw)
    if problem:
        raise InvalidTodo([FieldError("description", problem)])
    return raw  # type: ignore[return-value]  # checked above: str or None


def check_completed(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise InvalidTodo([FieldError("is_completed", "must be true or false")])
    return raw


@dataclass(frozen=True, slots=True)
class TodoChanges:
    """A partial update: each field is a new value or KEEP. Values are checked on creation."""

    title: str | _Keep = KEEP
    description: str | _Keep | None = KEEP
    is_completed: bool | _Keep = KEEP

    def __post_init__(self) -> None:
        if self.title is not KEEP:
            object.__setattr__(self, "title", normalize_title(self.title))
        if self.description is not KEEP:
            check_description(self.description)
        if self.is_completed is not KEEP:
            check_completed(self.is_completed)

    @property
    def is_empty(self) -> bool:
        return self.title is KEEP and self.description is KEEP and self.is_completed is KEEP


@dataclass(frozen=True, slots=True)
class Todo:
    """A user's todo. `version` starts at 1 and grows with every change; ETags are made from it."""

    id: UUID
    user_id: UUID
    title: str
    description: str | None
    is_completed: bool
    created_at: datetime
    updated_at: datetime
    version: int = 1

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        user_id: UUID,
        title: str,
        description: str | None = None,
        is_completed: bool = False,
        now: datetime,
    ) -> Todo:
        """A new todo, with its title trimmed; raises InvalidTodo listing every broken rule."""
        errors: list[FieldError] = []
        trimmed, problem = title_error(title)
        if problem:
            errors.append(FieldError("title", problem))
        problem = description_error(description)
        if problem:
            errors.append(FieldError("description", problem))
        if not isinstance(is_completed, bool):
            errors.append(FieldError("is_completed", "must be true or false"))
        if errors:
            raise InvalidTodo(errors)
        return cls(id, user_id, trimmed, description, is_completed, now, now)

    def apply(self, changes: TodoChanges, now: datetime) -> Todo:
        """This todo with `changes` made. Any non-empty change bumps version and updated_at,
        even when the values are the same (clients rely on the new ETag)."""
        if changes.is_empty:
            return self
        return replace(
            self,
            title=self.title if changes.title is KEEP else changes.title,
            description=self.description if changes.description is KEEP else changes.description,
            is_completed=(
                self.is_completed if changes.is_completed is KEEP else changes.is_completed
            ),
            updated_at=now,
            version=self.version + 1,
        )
