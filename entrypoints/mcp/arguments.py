"""Tool arguments read with the REST API's parsers: the list's filters go through the same
parser as the query string (so the same cursors, limits and messages), the todo id and
expected_etag as the path and If-Match are read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from application.identifiers import parse_uuid
from application.list_query import ListQuery
from domain.errors import FieldError
from entrypoints.http.errors import ApiError, validation_error
from entrypoints.http.list_parameters import LIST_PARAMETERS, list_query_of_values
from entrypoints.http.preconditions import versions_matching

_LISTS = ("priority", "tags")  # arrays here, comma-separated in the query string


def _query_text(name: str, value: Any) -> str | None:
    """The argument as the query string would spell it; None if its JSON type is wrong."""
    if name == "is_completed":
        return ("true" if value else "false") if isinstance(value, bool) else None
    if name == "limit":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return str(value) if ok else None
    if name in _LISTS:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return ",".join(value) if ok else None
    return value if isinstance(value, str) else None


def _wrong_type(name: str) -> str:
    if name == "is_completed":
        return "must be true or false"
    if name == "limit":
        return "must be a whole number from 1 to 1000"
    return "must be an array of strings" if name in _LISTS else "must be a string"


def unknown(arguments: dict[str, Any], known: Iterable[str]) -> list[FieldError]:
    return [FieldError(name, "is not a known argument") for name in arguments if name not in known]


def list_query_of_arguments(arguments: dict[str, Any]) -> ListQuery:
    """The list query the arguments ask for; a VALIDATION_ERROR naming every bad one."""
    errors = unknown(arguments, LIST_PARAMETERS)
    texts: dict[str, list[str]] = {}
    for name, value in arguments.items():
        if name not in LIST_PARAMETERS:
            continue
        text = _query_text(name, value)
        if text is None:
            errors.append(FieldError(name, _wrong_type(name)))
        else:
            texts[name] = [text]
    try:
        query = list_query_of_values(texts)
    except ApiError as error:  # reported with the arguments of the wrong type, in one error
        errors.extend(error.field_errors)
    if errors:
        raise validation_error(422, errors)
    return query


def todo_id_of(arguments: dict[str, Any]) -> UUID:
    value = arguments.get("id")
    todo_id = parse_uuid(value) if isinstance(value, str) else None
    if todo_id is None:
        problem = "is required" if value is None else "must be a UUID"
        raise validation_error(422, [FieldError("id", problem)])
    return todo_id


def expected_versions_of(arguments: dict[str, Any]) -> frozenset[int] | None:
    """What expected_etag accepts, as If-Match: absent means any version."""
    value = arguments.get("expected_etag")
    if value is not None and not isinstance(value, str):
        raise validation_error(422, [FieldError("expected_etag", "must be a string")])
    return versions_matching(value)


def require_known(arguments: dict[str, Any], known: Iterable[str]) -> None:
    errors = unknown(arguments, known)
    if errors:
        raise validation_error(422, errors)
