"""The reference model of the v1.2 fields, filters and sorts, written from the contract alone
(it never imports the service): which values are valid, how they are stored, and in what order
a list answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cmp_to_key
from typing import Any

Json = dict[str, Any]

PRIORITIES = ("none", "low", "medium", "high")  # in their order
SORT_KEYS = ("created_at", "updated_at", "due_at", "priority", "title")
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_OFFSET_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def _control(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def normal_tags(value: object) -> list[str] | None:
    """The stored form of a tags value, or None if the value is invalid."""
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        return None
    tags = {tag.strip(WHITESPACE).lower() for tag in value}
    for tag in tags:
        if not 1 <= len(tag) <= 50 or "," in tag or any(_control(c) for c in tag):
            return None
        if any("\ud800" <= c <= "\udfff" for c in tag):
            return None
    return sorted(tags) if len(tags) <= 20 else None


def instant(value: object) -> datetime | None:
    """The UTC instant an RFC 3339 date-time with offset names, or None if it names none
    (or falls outside the years 1..9999 in UTC)."""
    if not isinstance(value, str) or not _OFFSET_DATE_TIME.fullmatch(value):
        return None
    text = value.upper()
    if "." in text:  # the service keeps microseconds: cut the fraction there
        head, _, rest = text.partition(".")
        digits = re.match(r"\d+", rest)
        assert digits
        text = head + "." + digits[0][:6].ljust(6, "0") + rest[len(digits[0]) :]
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def rfc3339(moment: datetime) -> str:
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.%fZ")


def due_at_ok(value: object) -> bool:
    return value is None or instant(value) is not None


def stored_due_at(value: object) -> str | None:
    moment = instant(value)
    return None if moment is None else rfc3339(moment)


def organizing_errors(body: Json, *, creating: bool) -> set[str]:
    bad = set()
    if "priority" in body and body["priority"] not in PRIORITIES:
        bad.add("priority")
    if "tags" in body and normal_tags(body["tags"]) is None:
        bad.add("tags")
    if "due_at" in body and not due_at_ok(body["due_at"]):
        bad.add("due_at")
    if "completed_at" in body:  # read-only: an unknown field to a request
        bad.add("completed_at")
    return bad


def organizing_created(body: Json) -> Json:
    return {
        "priority": body.get("priority", "none"),
        "tags": normal_tags(body.get("tags", [])),
        "due_at": stored_due_at(body.get("due_at")),
    }


def organizing_patched(todo: Json, changes: Json, now: str) -> Json:
    result = dict(todo)
    if "priority" in changes:
        result["priority"] = changes["priority"]
    if "tags" in changes:
        result["tags"] = normal_tags(changes["tags"])
    if "due_at" in changes:
        result["due_at"] = stored_due_at(changes["due_at"])
    if "is_completed" in changes:
        if not changes["is_completed"]:
            result["completed_at"] = None
        elif todo["completed_at"] is None:
            result["completed_at"] = now
    return result


def matches(todo: Json, spec: Json) -> bool:
    """Whether a todo passes every filter of a list spec (the parsed query parameters)."""
    due = todo["due_at"]
    folded = [todo["title"].casefold(), (todo["description"] or "").casefold()]
    return (
        (spec.get("is_completed") is None or todo["is_completed"] == spec["is_completed"])
        and (not spec.get("priorities") or todo["priority"] in spec["priorities"])
        and set(spec.get("tags") or ()) <= set(todo["tags"])
        and (spec.get("due_before") is None or (due is not None and due < spec["due_before"]))
        and (spec.get("due_after") is None or (due is not None and due >= spec["due_after"]))
        and (spec.get("q") is None or any(spec["q"] in part for part in folded))
    )


def _value(todo: Json, key: str) -> Any:
    if key == "priority":
        return PRIORITIES.index(todo["priority"])
    if key == "title":
        return todo["title"].casefold()
    if key == "created_at":
        return ""
    return todo[key]  # RFC 3339 strings of one width compare as the instants do


def compare(a: Json, b: Json, sort: str) -> int:
    """<0 if `a` lists before `b` under `sort` (ties: created_at then id, in the sort's
    direction; todos without due_at last under either due_at direction)."""
    key = sort.lstrip("-")
    if key == "due_at" and (a["due_at"] is None) != (b["due_at"] is None):
        return 1 if a["due_at"] is None else -1
    undated = key == "due_at" and a["due_at"] is None  # then b has none either: ties decide
    left = ("" if undated else _value(a, key), a["created_at"], a["id"])
    right = ("" if undated else _value(b, key), b["created_at"], b["id"])
    if left == right:
        return 0
    ascending = -1 if left < right else 1
    return -ascending if sort.startswith("-") else ascending


def ordered(todos: list[Json], sort: str) -> list[Json]:
    return sorted(todos, key=cmp_to_key(lambda a, b: compare(a, b, sort)))


def tag_counts(todos: list[Json]) -> list[Json]:
    counts: dict[str, int] = {}
    for todo in todos:
        for tag in todo["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    return [{"tag": tag, "count": counts[tag]} for tag in sorted(counts)]


def spec_of(params: dict[str, str]) -> Json:
    """The model's reading of valid list query parameters."""
    spec: Json = {"sort": params.get("sort", "-created_at")}
    if "is_completed" in params:
        spec["is_completed"] = params["is_completed"] == "true"
    if "priority" in params:
        spec["priorities"] = set(params["priority"].split(","))
    if "tags" in params:
        spec["tags"] = normal_tags(params["tags"].split(","))
    for name in ("due_before", "due_after"):
        if name in params:
            moment = instant(params[name])
            assert moment is not None
            spec[name] = rfc3339(moment)
    if "q" in params:
        spec["q"] = params["q"].strip(WHITESPACE).casefold()
    return spec
