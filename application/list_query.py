"""What a list asks for: filters, a sort, and where the previous page ended (keyset)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from domain.organizing import Priority
from domain.todo import Todo


class SortKey(Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    DUE_AT = "due_at"
    PRIORITY = "priority"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class Sort:
    """Order by `key`, ties broken by created_at then id, all in one direction. With due_at,
    todos without a due date come last in both directions."""

    key: SortKey = SortKey.CREATED_AT
    descending: bool = True

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.key.value

    @classmethod
    def parse(cls, text: str) -> Sort | None:
        descending = text.startswith("-")
        try:
            return cls(SortKey(text[1:] if descending else text), descending)
        except ValueError:
            return None


NEWEST_FIRST = Sort()

# A user's tags and how many of their todos carry each, sorted by tag.
TagCounts = list[tuple[str, int]]

# The value of the sort key of one todo, besides created_at and id: a datetime (updated_at,
# due_at; None for no due date), the priority's rank, or the case-folded title.
SortValue = datetime | int | str | None


def sort_value(todo: Todo, key: SortKey) -> SortValue:
    if key is SortKey.UPDATED_AT:
        return todo.updated_at
    if key is SortKey.DUE_AT:
        return todo.due_at
    if key is SortKey.PRIORITY:
        return todo.priority.rank
    if key is SortKey.TITLE:
        return todo.title_key
    return None  # created_at: the tie-breakers are the whole key


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page ends in the list's order: the sort key of its last item."""

    created_at: datetime
    id: UUID
    value: SortValue = None  # sort_value of the last item (None for the default sort)

    @classmethod
    def of(cls, todo: Todo, sort: Sort = NEWEST_FIRST) -> PageKey:
        return cls(todo.created_at, todo.id, sort_value(todo, sort.key))


@dataclass(frozen=True, slots=True)
class ListQuery:
    """Every filter narrows the list (they combine with AND); None or empty means "any"."""

    is_completed: bool | None = None
    limit: int | None = None  # None: every matching todo
    after: PageKey | None = None  # only todos strictly after this key in the sort's order
    priorities: frozenset[Priority] = frozenset()  # any of these
    tags: tuple[str, ...] = ()  # all of these (normalised)
    due_before: datetime | None = None  # due_at < this
    due_after: datetime | None = None  # due_at >= this
    text: str | None = None  # case-folded; title or description contains it
    sort: Sort = NEWEST_FIRST

    @property
    def filters_beyond_completion(self) -> bool:
        """Whether the count needs the rows themselves (the kept counts cover is_completed)."""
        return bool(self.priorities or self.tags or self.due_before or self.due_after or self.text)

    def matches(self, todo: Todo) -> bool:
        """The filters, stated once for any adapter that filters in Python."""
        due = todo.due_at
        return (
            (self.is_completed is None or todo.is_completed == self.is_completed)
            and (not self.priorities or todo.priority in self.priorities)
            and all(tag in todo.tags for tag in self.tags)
            and (self.due_before is None or (due is not None and due < self.due_before))
            and (self.due_after is None or (due is not None and due >= self.due_after))
            and (self.text is None or todo.matches_text(self.text))
        )
