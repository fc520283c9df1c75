"""Opaque page cursors: where the previous page ended, for which sort and which filters.

A cursor holds the sort, a fingerprint of the filters, and the sort key of the page's last
item (the sort column's value, created_at, id). Used with another sort or other filters it
would point into a different order, so such a cursor is refused rather than silently skipping
or repeating todos."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.list_query import ListQuery, PageKey, Sort, SortKey, SortValue

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A title of 255 code points folds to at most 765 (x3), of at most 4 UTF-8 bytes each: 3,060
# bytes, 4,080 in base64, plus the rest of the cursor.
MAX_CURSOR_LENGTH = 8192


@dataclass(frozen=True, slots=True)
class IssuedCursor:
    sort: Sort
    filters: str  # fingerprint of the filters of the query that issued it
    key: PageKey


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(micros: object) -> datetime | None:
    if not isinstance(micros, int) or isinstance(micros, bool):
        return None
    try:
        return _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        return None


def filters_fingerprint(query: ListQuery) -> str:
    """Equal for two queries with the same filters (page size and position aside)."""
    filters = [
        query.is_completed,
        sorted(priority.value for priority in query.priorities),
        list(query.tags),
        None if query.due_before is None else _micros(query.due_before),
        None if query.due_after is None else _micros(query.due_after),
        query.text,
    ]
    canonical = json.dumps(filters, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _encoded_value(value: SortValue) -> object:
    return _micros(value) if isinstance(value, datetime) else value


_DEFAULT_QUERY = ListQuery()


def encode_cursor(key: PageKey, query: ListQuery = _DEFAULT_QUERY) -> str:
    """The cursor of the page after `key`, in `query`'s sort and filters."""
    return _text(IssuedCursor(query.sort, filters_fingerprint(query), key))


def _decoded_value(sort: Sort, raw: object) -> tuple[bool, SortValue]:
    """(whether `raw` is a valid value for the sort, the value)."""
    key = sort.key
    if key is SortKey.CREATED_AT:
        return raw is None, None
    if key is SortKey.TITLE:
        return isinstance(raw, str), raw if isinstance(raw, str) else None
    if key is SortKey.PRIORITY:
        valid = isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 3
        return valid, raw if valid else None  # type: ignore[return-value]
    if raw is None:
        return key is SortKey.DUE_AT, None
    moment = _moment(raw)
    return moment is not None, moment


def read_cursor(cursor: str) -> IssuedCursor | None:
    """What a cursor of ours says, or None if it is not one we issued."""
    if not cursor.isascii() or len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(payload, list) or len(payload) != 5:
        return None
    sort_text, filters, created_micros, id_hex, raw_value = payload
    sort = Sort.parse(sort_text) if isinstance(sort_text, str) else None
    created_at = _moment(created_micros)
    if sort is None or created_at is None or not isinstance(filters, str):
        return None
    if not isinstance(id_hex, str) or len(id_hex) != 32:
        return None
    valid, value = _decoded_value(sort, raw_value)
    try:
        key = PageKey(created_at, UUID(hex=id_hex), value)
    except ValueError:
        return None
    issued = IssuedCursor(sort, filters, key)
    if not valid or _text(issued) != cursor:
        return None  # a second spelling of a valid cursor: not one we issued
    return issued


def _text(issued: IssuedCursor) -> str:
    payload = [
        str(issued.sort),
        issued.filters,
        _micros(issued.key.created_at),
        issued.key.id.hex,
        _encoded_value(issued.key.value),
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(text).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> PageKey | None:
    """The key a cursor of ours stands for, or None if it is not one (any query)."""
    issued = read_cursor(cursor)
    return issued.key if issued else None


def belongs_to(issued: IssuedCursor, query: ListQuery) -> bool:
    """Whether the cursor was issued by a page of this query (same sort, same filters)."""
    return issued.sort == query.sort and issued.filters == filters_fingerprint(query)
