"""The list's query parameters: filters, sort, page size and cursor. Every problem is
collected, so one 422 names every bad parameter."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from starlette.requests import Request

from application.list_query import ListQuery, Sort
from domain.errors import FieldError
from domain.organizing import PRIORITY_NAMES, Priority, due_at_error, fold_case, tags_error
from entrypoints.http.cursor import belongs_to, read_cursor
from entrypoints.http.errors import validation_error
from entrypoints.http.instants import parse_rfc3339

MAX_LIST_LIMIT = 1000
Q_MAX_LENGTH = 100
SORTS = ("created_at", "updated_at", "due_at", "priority", "title")
LIST_PARAMETERS = (
    "is_completed",
    "limit",
    "cursor",
    "priority",
    "tags",
    "due_before",
    "due_after",
    "q",
    "sort",
)
# Unicode White_Space, as domain.todo trims titles.
_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _instant(raw: str) -> tuple[datetime | None, str | None]:
    moment = parse_rfc3339(raw)
    if moment is None:
        return None, "must be an RFC 3339 date-time with Z or a numeric offset"
    return due_at_error(moment)


def _text(raw: str) -> tuple[str | None, str | None]:
    text = raw.strip(_WHITESPACE)
    if not 1 <= len(text) <= Q_MAX_LENGTH:
        return None, f"must be 1..{Q_MAX_LENGTH} characters after trimming"
    if "\x00" in text:
        return None, "must not contain the NUL character (U+0000)"
    return fold_case(text), None


def _priorities(raw: str) -> tuple[frozenset[Priority], str | None]:
    parsed = [Priority.parse(name) for name in raw.split(",")]
    if any(priority is None for priority in parsed):
        return frozenset(), f"must be one or more of {', '.join(PRIORITY_NAMES)}, comma-separated"
    return frozenset(p for p in parsed if p is not None), None


def _tags(raw: str) -> tuple[tuple[str, ...], str | None]:
    return tags_error(raw.split(","))


def _is_completed(raw: str) -> tuple[bool | None, str | None]:
    value = {"true": True, "false": False}.get(raw)
    return value, None if value is not None else "must be true or false"


def _limit(raw: str) -> tuple[int | None, str | None]:
    if raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= MAX_LIST_LIMIT:
        return int(raw), None
    return None, f"must be a whole number from 1 to {MAX_LIST_LIMIT}"


def _sort(raw: str) -> tuple[Sort | None, str | None]:
    sort = Sort.parse(raw)
    return sort, None if sort else f"must be one of {', '.join(SORTS)}, optionally after -"


# parameter -> (parser giving (value, problem), the ListQuery field it fills)
_PARSERS: dict[str, tuple[Callable[[str], tuple[Any, str | None]], str]] = {
    "is_completed": (_is_completed, "is_completed"),
    "limit": (_limit, "limit"),
    "priority": (_priorities, "priorities"),
    "tags": (_tags, "tags"),
    "due_before": (_instant, "due_before"),
    "due_after": (_instant, "due_after"),
    "q": (_text, "text"),
    "sort": (_sort, "sort"),
}


def list_query_of(request: Request) -> ListQuery:
    params = request.query_params
    return list_query_of_values({name: params.getlist(name) for name in params})


def list_query_of_values(values: Mapping[str, Sequence[str]]) -> ListQuery:
    """The query that the list's parameters (each name with every value given) ask for; a
    ValidationError (422) naming every bad one. Shared by the REST list and the MCP tool."""
    params = {name: given[0] for name, given in values.items() if given}
    errors: list[FieldError] = []
    for name, given in values.items():
        if name not in LIST_PARAMETERS:
            errors.append(FieldError(name, "is not a known query parameter"))
        elif len(given) > 1:
            errors.append(FieldError(name, "must be given once"))
    fields: dict[str, Any] = {}
    for name, (parse, field) in _PARSERS.items():
        if name in params:
            value, problem = parse(params[name])
            if problem:
                errors.append(FieldError(name, problem))
            else:
                fields[field] = value
    query = ListQuery(**fields)
    if "cursor" in params:
        issued = read_cursor(params["cursor"])
        if "limit" not in params:
            errors.append(FieldError("cursor", "needs limit: a cursor continues a paged list"))
        elif issued is None:
            errors.append(FieldError("cursor", "is not a cursor this service issued"))
        elif not errors and not belongs_to(issued, query):  # (bad filters: reported already)
            errors.append(
                FieldError("cursor", "was issued for another sort or other filters than these")
            )
        else:
            query = replace(query, after=issued.key)
    if errors:
        raise validation_error(422, errors)
    return query
