"""The tools' input and output schemas, built from the REST API's own models, so that the
two ways in describe the same fields with the same rules."""

from __future__ import annotations

from typing import Any

from domain.organizing import PRIORITY_NAMES, TAG_MAX_LENGTH
from entrypoints.http.list_parameters import MAX_LIST_LIMIT, Q_MAX_LENGTH, SORTS
from entrypoints.http.schemas import TagList, TodoCreate, TodoList, TodoOut, TodoUpdate

_ID = {"type": "string", "format": "uuid", "description": "The todo's id (a UUID)."}
_EXPECTED_ETAG = {
    "type": "string",
    "description": 'The ETag a previous answer gave (e.g. "\\"3\\""): act only if the todo '
    "has not changed since; PRECONDITION_FAILED otherwise. Omit to act on any version.",
}
_INSTANT = {
    "type": "string",
    "format": "date-time",
    "description": "RFC 3339 date-time with Z or a numeric offset.",
}


def _object(
    properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    schema["additionalProperties"] = False
    return schema


def _inlined(value: Any, defs: dict[str, Any]) -> Any:
    """`value` with each local $ref replaced by its definition: some MCP clients do not
    resolve references, and the only ones here are small enums."""
    if isinstance(value, list):
        return [_inlined(item, defs) for item in value]
    if not isinstance(value, dict):
        return value
    ref = value.get("$ref", "")
    if ref.startswith("#/$defs/"):
        rest = {k: v for k, v in value.items() if k != "$ref"}
        return {**_inlined(defs[ref.removeprefix("#/$defs/")], defs), **rest}
    return {key: _inlined(item, defs) for key, item in value.items()}


def _model_input(model: type[Any], **before: Any) -> dict[str, Any]:
    """A REST body model's schema as a tool input, with `before` fields added in front."""
    schema = model.model_json_schema()
    properties = _inlined({**before, **schema["properties"]}, schema.get("$defs", {}))
    required = tuple(before) + tuple(schema.get("required", ()))
    return _object(properties, required)


CREATE_INPUT = _model_input(TodoCreate)
UPDATE_INPUT = _model_input(TodoUpdate, id=_ID)
for _field in UPDATE_INPUT["properties"].values():
    # TodoUpdate's None defaults stand for "absent" (left alone), not for a null to send.
    _field.pop("default", None)
UPDATE_INPUT["properties"]["expected_etag"] = _EXPECTED_ETAG
ID_INPUT = _object({"id": _ID}, ("id",))
ID_AND_ETAG_INPUT = _object({"id": _ID, "expected_etag": _EXPECTED_ETAG}, ("id",))
NO_INPUT = _object({})

LIST_INPUT = _object(
    {
        "is_completed": {"type": "boolean", "description": "Only completed (true) or open."},
        "priority": {
            "type": "array",
            "items": {"type": "string", "enum": list(PRIORITY_NAMES)},
            "minItems": 1,
            "description": "Only todos of any of these priorities.",
        },
        "tags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX_LENGTH},
            "minItems": 1,
            "description": "Only todos carrying all of these tags (case-insensitive).",
        },
        "due_before": {**_INSTANT, "description": "Only todos due strictly before this."},
        "due_after": {**_INSTANT, "description": "Only todos due at or after this."},
        "q": {
            "type": "string",
            "minLength": 1,
            "maxLength": Q_MAX_LENGTH,
            "description": "Only todos whose title or description contains this text "
            "(case-insensitive).",
        },
        "sort": {
            "type": "string",
            "enum": [f"{sign}{key}" for key in SORTS for sign in ("", "-")],
            "description": "Order by this field, - for descending; ties by created_at, id. "
            "Default -created_at (newest first). Todos without due_at come last.",
        },
        "limit": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_LIST_LIMIT,
            "description": "Page size; without it, every matching todo.",
        },
        "cursor": {
            "type": "string",
            "description": "next_cursor of the previous page; needs limit, and the same "
            "filters and sort.",
        },
    }
)

TODO_OUTPUT = TodoOut.model_json_schema()
LIST_OUTPUT = TodoList.model_json_schema()
TAGS_OUTPUT = TagList.model_json_schema()
