"""The floor app's schema and request handlers (raw_asgi.Handlers): what the mix's five
operations cost with nothing but the table they need.

One table, `floor_todos`, with the columns a todo's JSON shows; a primary key on (user_id, id)
for get/patch/delete and one index for the list's order. No row-level security, no triggers,
no count table, no users table, no version, no idempotency keys, no folded text, no todo limit,
no statement timeouts: plain INSERT ... RETURNING, SELECT, UPDATE ... RETURNING and DELETE,
one round trip each, on the same kind of pool as the reference (raw_database.py). Answers
carry the service's JSON (same keys, same timestamp format) but no ETag or Location header.
The list counts the user's todos with count(*) (fine for the mix's 50-todo user; the service
keeps counters instead so that large lists stay flat), and its next_cursor is no real cursor:
the mix reads first pages only."""

from typing import Any

from bench.raw_asgi import NOT_FOUND, Result
from bench.raw_database import RawDatabase, todo_json

SCHEMA = """
CREATE TABLE floor_todos (
    user_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    title text NOT NULL,
    description text,
    is_completed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    priority smallint NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{}',
    due_at timestamptz,
    completed_at timestamptz,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX floor_todos_by_created ON floor_todos (user_id, created_at DESC, id DESC);
"""
# The columns in todo_json's order.
COLUMNS = (
    "id, user_id, title, description, is_completed, created_at, updated_at,"
    " priority, tags, due_at, completed_at"
)
_THIS_TODO = "user_id = %(user_id)s AND id = %(id)s"

CREATE = f"""INSERT INTO floor_todos (user_id, title, description, is_completed, completed_at)
VALUES (%(user_id)s, %(title)s, %(description)s, %(is_completed)s,
        CASE WHEN %(is_completed)s THEN now() END)
RETURNING {COLUMNS}"""
GET = f"SELECT {COLUMNS} FROM floor_todos WHERE {_THIS_TODO}"
LIST = f"""SELECT (SELECT count(*) FROM floor_todos WHERE user_id = %(user_id)s), {COLUMNS}
FROM floor_todos WHERE user_id = %(user_id)s
ORDER BY created_at DESC, id DESC LIMIT %(limit)s"""
DELETE = f"DELETE FROM floor_todos WHERE {_THIS_TODO} RETURNING id"
PATCHABLE = ("title", "description", "is_completed")
_update_sql: dict[tuple[str, ...], str] = {}

_database = RawDatabase("BENCH_FLOOR_DATABASE_URL", "bench-floor")
connect = _database.connect
close = _database.close


def _update(columns: tuple[str, ...]) -> str:
    assignments = [f"{column} = %({column})s" for column in columns]
    if "is_completed" in columns:
        assignments.append(
            "completed_at = CASE WHEN %(is_completed)s THEN coalesce(completed_at, now()) END"
        )
    return (
        f"UPDATE floor_todos SET {', '.join(assignments)}, updated_at = now()"
        f" WHERE {_THIS_TODO} RETURNING {COLUMNS}"
    )


def _one_todo(rows: list[tuple[Any, ...]], status: int = 200) -> Result:
    return (status, todo_json(*rows[0]), []) if rows else NOT_FOUND


def get(user: str, todo_id: str) -> Result:
    return _one_todo(_database.query(GET, {"user_id": user, "id": todo_id}))


def list_todos(user: str, limit: int | None) -> Result:
    # LIMIT NULL is no limit; one row more than the page tells whether there is a next one.
    params = {"user_id": user, "limit": None if limit is None else limit + 1}
    rows = _database.query(LIST, params)
    items = [todo_json(*row[1:]) for row in rows]
    next_cursor = None
    if limit is not None and len(items) > limit:
        items = items[:limit]
        next_cursor = f"{items[-1]['created_at']}|{items[-1]['id']}"  # not a real cursor
    return 200, {"items": items, "count": rows[0][0] if rows else 0, "next_cursor": next_cursor}, []


def create(user: str, body: dict[str, Any]) -> Result:
    params = {
        "user_id": user,
        "title": body["title"],
        "description": body.get("description"),
        "is_completed": bool(body.get("is_completed", False)),
    }
    return _one_todo(_database.query(CREATE, params), 201)


def patch(user: str, todo_id: str, body: dict[str, Any]) -> Result:
    columns = tuple(column for column in PATCHABLE if column in body)
    if not columns:
        return get(user, todo_id)
    statement = _update_sql.get(columns)
    if statement is None:
        statement = _update_sql[columns] = _update(columns)
    params = {column: body[column] for column in columns} | {"user_id": user, "id": todo_id}
    return _one_todo(_database.query(statement, params))


def delete(user: str, todo_id: str) -> Result:
    if not _database.query(DELETE, {"user_id": user, "id": todo_id}):
        return NOT_FOUND
    return 204, None, []
