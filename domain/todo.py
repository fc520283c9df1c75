"""The Todo entity and the rules every todo obeys, whatever stores it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from uuid import UUID

from domain.errors import FieldError, InvalidTodo
from domain.organizing import Priority, completed_at_after, fold_case, organizing_errors

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
    priority: Priority | _Keep = KEEP
    tags: tuple[str, ...] | list[str] | _Keep = KEEP  # stored normalised, as a tuple
    due_at: datetime | _Keep | None = KEEP

    def __post_init__(self) -> None:
        if self.title is not KEEP:
            object.__setattr__(self, "title", normalize_title(self.title))
        if self.description is not KEEP:
            check_description(self.description)
        if self.is_completed is not KEEP:
            check_completed(self.is_completed)
        errors: list[FieldError] = []
        tags, due_at = organizing_errors(
            errors,
            Priority.NONE if self.priority is KEEP else self.priority,
            [] if self.tags is KEEP else self.tags,
            None if self.due_at is KEEP else self.due_at,
        )
        if errors:
            raise InvalidTodo(errors)
        if self.tags is not KEEP:
            object.__setattr__(self, "tags", tags)
        if self.due_at is not KEEP:
            object.__setattr__(self, "due_at", due_at)

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, name) is KEEP for name in self.__slots__)


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
    priority: Priority = Priority.NONE
    tags: tuple[str, ...] = ()  # normalised: trimmed, lower-cased, distinct, sorted
    due_at: datetime | None = None  # UTC
    completed_at: datetime | None = None  # see completed_at_after

    @property
    def title_key(self) -> str:
        """What `sort=title` orders by: the title, case-folded."""
        return fold_case(self.title)

    def matches_text(self, folded_query: str) -> bool:
        """Whether the title or description contains the (case-folded) text."""
        return folded_query in self.title_key or (
            self.description is not None and folded_query in fold_case(self.description)
        )

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        user_id: UUID,
        title: str,
        description: str | None = None,
        is_completed: bool = False,
        priority: Priority = Priority.NONE,
        tags: tuple[str, ...] | list[str] = (),
        due_at: datetime | None = None,
        now: datetime,
    ) -> Todo:
        """A new todo, with its title trimmed and tags normalised; raises InvalidTodo listing
        every broken rule. A todo created completed was completed when it was created."""
        errors: list[FieldError] = []
        trimmed, problem = title_error(title)
        if problem:
            errors.append(FieldError("title", problem))
        problem = description_error(description)
        if problem:
            errors.append(FieldError("description", problem))
        if not isinstance(is_completed, bool):
            errors.append(FieldError("is_completed", "must be true or false"))
        normalized_tags, instant = organizing_errors(errors, priority, tags, due_at)
        if errors:
            raise InvalidTodo(errors)
        completed_at = completed_at_after(is_completed, None, now)
        return cls(
            id, user_id, trimmed, description, is_completed, now, now,
            1, priority, normalized_tags, instant, completed_at,
        )  # fmt: skip

    def apply(self, changes: TodoChanges, now: datetime) -> Todo:
        """This todo with `changes` made. Any non-empty change bumps version and updated_at,
        even when the values are the same (clients rely on the new ETag)."""
        if changes.is_empty:
            return self
        is_completed = self.is_completed if changes.is_completed is KEEP else changes.is_completed
        return replace(
            self,
            title=self.title if changes.title is KEEP else changes.title,
            description=self.description if changes.description is KEEP else changes.description,
            is_completed=is_completed,
            priority=self.priority if changes.priority is KEEP else changes.priority,
            tags=self.tags if changes.tags is KEEP else tuple(changes.tags),
            due_at=self.due_at if changes.due_at is KEEP else changes.due_at,
            completed_at=completed_at_after(is_completed, self.completed_at, now),
            updated_at=now,
            version=self.version + 1,
        )
