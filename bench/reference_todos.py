"""The reference app's request handlers (raw_asgi.Handlers): one psycopg2 round trip each,
with the service's own SQL (adapters/postgres/statements.py), on a 40-connection pool in
autocommit mode as the service has; the answers shaped as the service shapes them."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.postgres import statements as sql
from adapters.postgres.calls import Deadlines
from adapters.postgres.list_statement import list_statement
from adapters.postgres.mapping import folded
from application.list_query import ListQuery
from bench.raw_asgi import NOT_FOUND, PREFIX, Result
from bench.raw_database import RawDatabase, todo_json

DELETE_SQL = sql.delete(conditional=False)
_update_sql: dict[tuple[str, ...], str] = {}
# The service's list statement (its text does not depend on the user or the page size).
_list_sql = {
    paged: list_statement(uuid.UUID(int=0), ListQuery(limit=1 if paged else None))[0]
    for paged in (False, True)
}

_database = RawDatabase("BENCH_REFERENCE_DATABASE_URL", "bench-reference")
connect = _database.connect
close = _database.close

# The same server-side bounds and todo limit the service sends with every statement.
_EVERY_STATEMENT = Deadlines().as_params() | {"max_todos": 100_000}


def _query(statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return _database.query(statement, params | _EVERY_STATEMENT)


def _todo(row: Sequence[Any]) -> dict[str, Any]:
    return todo_json(*row[:7], *row[8:12])  # row[7] is the version


def _one_todo(rows: list[tuple[Any, ...]], status: int = 200) -> Result:
    if not rows:
        return NOT_FOUND
    todo = _todo(rows[0])
    headers = [(b"etag", f'"{rows[0][7]}"'.encode())]
    if status == 201:
        headers.append((b"location", f"{PREFIX}/{todo['id']}".encode()))
    return status, todo, headers


def get(user: str, todo_id: str) -> Result:
    return _one_todo(_query(sql.GET, {"user_id": user, "id": todo_id}))


def list_todos(user: str, limit: int | None) -> Result:
    params: dict[str, Any] = {"user_id": user, "is_completed": None}
    if limit is not None:
        params["limit"] = limit + 1
    rows = _query(_list_sql[limit is not None], params)
    items = [_todo(row[1:]) for row in rows if row[1] is not None]
    next_cursor = None
    if limit is not None and len(items) > limit:
        items = items[:limit]
        next_cursor = f"{items[-1]['created_at']}|{items[-1]['id']}"  # not a real cursor
    return 200, {"items": items, "count": rows[0][0], "next_cursor": next_cursor}, []


def create(user: str, body: dict[str, Any]) -> Result:
    now = datetime.now(UTC)
    params: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "user_id": user,
        "title": str(body["title"]).strip(),
        "description": body.get("description"),
        "is_completed": bool(body.get("is_completed", False)),
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "priority": 0,
        "tags": [],
        "due_at": None,
    }
    params["completed_at"] = now if params["is_completed"] else None
    params |= folded(params["title"], params["description"])
    return _one_todo(_query(sql.ADD, params), 201)


def patch(user: str, todo_id: str, body: dict[str, Any]) -> Result:
    columns: tuple[str, ...] = tuple(
        c for c in ("title", "description", "is_completed") if c in body
    )
    text = folded(body.get("title"), body.get("description"))
    columns += tuple(f"{c}_key" for c in ("title", "description") if c in body)
    body = body | text
    if not columns:
        return get(user, todo_id)
    statement = _update_sql.get(columns)
    if statement is None:
        statement = _update_sql[columns] = sql.update(list(columns), conditional=False)
    params = {c: body[c] for c in columns} | {
        "user_id": user,
        "id": todo_id,
        "expected_versions": None,
        "now": datetime.now(UTC),
    }
    return _one_todo(_query(statement, params))


def delete(user: str, todo_id: str) -> Result:
    if not _query(DELETE_SQL, {"user_id": user, "id": todo_id, "expected_versions": None}):
        return NOT_FOUND
    return 204, None, []
