"""The rules of the fields that organize todos (v1.2): priority, tags, due date; and the one
case folding every adapter uses for case-insensitive sorting and search."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from enum import Enum

from domain.errors import FieldError

MAX_TAGS = 20
TAG_MAX_LENGTH = 50
DUE_AT_MIN = datetime(1, 1, 1, tzinfo=UTC)
DUE_AT_MAX = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

# Unicode's White_Space property, as in domain.todo (kept here too to avoid an import cycle).
_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class Priority(Enum):
    """A todo's priority. Declared in its order: none < low < medium < high."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for none .. 3 for high: the order sorting uses (and the stored form)."""
        return _RANKS[self]

    @classmethod
    def of_rank(cls, rank: int) -> Priority:
        return _BY_RANK[rank]

    @classmethod
    def parse(cls, raw: object) -> Priority | None:
        """The priority a client spelled, or None if it is not one of the four strings."""
        return _BY_NAME.get(raw) if isinstance(raw, str) else None


_RANKS = {priority: rank for rank, priority in enumerate(Priority)}
_BY_RANK = dict(enumerate(Priority))
_BY_NAME = {priority.value: priority for priority in Priority}
PRIORITY_NAMES = tuple(_BY_NAME)


def fold_case(text: str) -> str:
    """The case-insensitive form of text: how titles sort and how `q` matches. Computed here,
    not by the database, so every adapter agrees (PostgreSQL's lower() follows the server's
    locale, which differs from Unicode's full case folding)."""
    return text.casefold()


def _tag_problem(tag: str) -> str | None:
    if not tag:
        return "must not be blank"
    if len(tag) > TAG_MAX_LENGTH:
        return f"must be at most {TAG_MAX_LENGTH} characters"
    if "," in tag:
        return "must not contain a comma"
    if any(unicodedata.category(ch) == "Cc" for ch in tag):
        return "must not contain control characters"
    try:
        tag.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def tags_error(raw: object) -> tuple[tuple[str, ...], str | None]:
    """Normalise a list of tags and say what is wrong with it, if anything: each tag trimmed of
    outer Unicode whitespace and lower-cased; duplicates collapse; sorted by code point."""
    if not isinstance(raw, list | tuple) or not all(isinstance(tag, str) for tag in raw):
        return (), "must be a list of strings"
    normalized = set()
    for tag in raw:
        tag = tag.strip(_WHITESPACE).lower()
        problem = _tag_problem(tag)
        if problem:
            return (), f"each tag {problem} (after trimming)"
        normalized.add(tag)
    if len(normalized) > MAX_TAGS:
        return (), f"must hold at most {MAX_TAGS} distinct tags"
    return tuple(sorted(normalized)), None


def due_at_error(raw: object) -> tuple[datetime | None, str | None]:
    """The due date as a UTC instant, and what is wrong with it: it must carry an offset and
    fall in the years 1..9999 once moved to UTC. None clears it."""
    if raw is None:
        return None, None
    if not isinstance(raw, datetime) or raw.utcoffset() is None:
        return None, "must be a date-time with a Z or numeric offset"
    try:
        instant = raw.astimezone(UTC)
    except OverflowError:
        return None, "must fall in the years 1..9999 (in UTC)"
    if not DUE_AT_MIN <= instant <= DUE_AT_MAX:
        return None, "must fall in the years 1..9999 (in UTC)"
    return instant, None


def organizing_errors(
    errors: list[FieldError], priority: object, tags: object, due_at: object
) -> tuple[tuple[str, ...], datetime | None]:
    """Check the v1.2 fields, adding a FieldError per broken rule; the normalised tags and
    due date."""
    if not isinstance(priority, Priority):
        errors.append(FieldError("priority", "must be one of none, low, medium, high"))
    normalized_tags, problem = tags_error(tags)
    if problem:
        errors.append(FieldError("tags", problem))
    instant, problem = due_at_error(due_at)
    if problem:
        errors.append(FieldError("due_at", problem))
    return normalized_tags, instant


def completed_at_after(
    is_completed: bool, completed_at: datetime | None, now: datetime
) -> datetime | None:
    """The completion rule: becoming completed stamps `now`, staying completed keeps the
    stamp, and not being completed clears it."""
    if not is_completed:
        return None
    return completed_at if completed_at is not None else now
