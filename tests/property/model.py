"""A reference model of the contract, written from the contract alone: which inputs are
valid, what a stored todo looks like, and what each user should see. Pure Python: it never
imports the service, so a rule broken in the service cannot be copied into the model."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.property.organizing_model import (
    compare,
    matches,
    ordered,
    organizing_created,
    organizing_errors,
    organizing_patched,
)

Json = dict[str, Any]

# Unicode's White_Space property (PropList.txt), the only characters a title is trimmed of.
# Python's str.strip() would also strip U+001C..U+001F, which Unicode does not call whitespace.
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
NOT_WHITESPACE = "\x1c\x1d\x1e\x1f"  # str.isspace() says yes, Unicode says no
TITLE_MAX = 255
DESCRIPTION_MAX = 2000


def trim(title: str) -> str:
    return title.strip(WHITESPACE)


def _storable(text: str) -> bool:
    """Unicode text PostgreSQL can store: no NUL, no lone surrogate."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def title_ok(value: object) -> bool:
    return isinstance(value, str) and _storable(value) and 1 <= len(trim(value)) <= TITLE_MAX


def description_ok(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and _storable(value) and len(value) <= DESCRIPTION_MAX


def invalid_fields(body: Json, *, creating: bool) -> set[str]:
    """The fields a 422 must name for this body (empty: the body is valid)."""
    bad = set()
    if "title" in body:
        if not title_ok(body["title"]):
            bad.add("title")
    elif creating:
        bad.add("title")
    if "description" in body and not description_ok(body["description"]):
        bad.add("description")
    if "is_completed" in body and not isinstance(body["is_completed"], bool):
        bad.add("is_completed")
    return bad | organizing_errors(body, creating=creating)


def idempotency_key_ok(key: str) -> bool:
    return 1 <= len(key) <= 255 and all(" " <= char <= "~" for char in key)


def canonical(body: Json) -> str:
    """The body as a JSON value: key order and spacing do not matter."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def created_fields(body: Json, user_id: str) -> Json:
    """What a new todo made from a valid body must hold (all but id and timestamps)."""
    return {
        "title": trim(body["title"]),
        "description": body.get("description"),
        "is_completed": body.get("is_completed", False),
        "user_id": user_id,
    } | organizing_created(body)


def patched(todo: Json, changes: Json, now: str) -> Json:
    """The todo with a valid PATCH body applied at `now` (all but updated_at)."""
    result = organizing_patched(todo, changes, now)
    if "title" in changes:
        result["title"] = trim(changes["title"])
    for name in ("description", "is_completed"):
        if name in changes:
            result[name] = changes[name]
    return result


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_holds(if_match: str | None, version: int) -> bool:
    """Only `*` and the current strong ETag match (README: weak tags never do)."""
    return if_match is None or if_match == "*" or if_match == etag(version)


@dataclass(frozen=True)
class TodoRef:
    """A todo id in a bundle, with the index of the user who created it (or was meant to)."""

    owner: int
    id: str


@dataclass
class Stored:
    todo: Json  # exactly as the service last answered it
    version: int


@dataclass
class Replay:
    body: str  # canonical JSON of the first request's body
    todo: Json  # the todo as first created


@dataclass
class UserModel:
    id: str
    todos: dict[str, Stored] = field(default_factory=dict)
    keys: dict[str, Replay] = field(default_factory=dict)

    def listing(self, spec: Json | None = None, after: Json | None = None) -> list[Json]:
        """The user's todos matching the spec's filters, in its sort (newest first by
        default); with `after`, only those strictly after that todo, as it was when listed,
        in the sort's order (keyset paging)."""
        spec = spec or {}
        sort = spec.get("sort", "-created_at")
        todos = [stored.todo for stored in self.todos.values() if matches(stored.todo, spec)]
        if after is not None:
            todos = [todo for todo in todos if compare(todo, after, sort) > 0]
        return ordered(todos, sort)

    def count(self, spec: Json | None = None) -> int:
        return len(self.listing(spec))


def patch_outcome(body: Json, stored: Stored | None, if_match: str | None) -> str:
    """What a PATCH must do, in the contract's order: invalid (422), missing (404),
    stale (412), noop (`{}`: 200, nothing changes) or applied (200, version + 1)."""
    if invalid_fields(body, creating=False):
        return "invalid"
    if stored is None:
        return "missing"
    if not if_match_holds(if_match, stored.version):
        return "stale"
    return "applied" if body else "noop"


def delete_outcome(stored: Stored | None, if_match: str | None) -> str:
    if stored is None:
        return "missing"
    return "deleted" if if_match_holds(if_match, stored.version) else "stale"
