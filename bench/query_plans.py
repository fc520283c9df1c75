"""For --size: the statements the PostgreSQL adapter sends for each endpoint, captured from the
adapter itself, and the plan PostgreSQL runs them with (EXPLAIN ANALYZE as the apps' role)."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg2
import psycopg2.extensions
from sqlalchemy import event
from starlette.requests import Request

from adapters.postgres.engine import create_database_engine
from adapters.postgres.repository import PostgresTodoRepository
from application.ports import ListQuery, PageKey
from bench.broken import Broken
from bench.report import table
from bench.scratch_database import Scratch
from domain.todo import Todo, TodoChanges
from entrypoints.http.list_parameters import list_query_of

RepositoryCall = Callable[[PostgresTodoRepository], object]

_SCAN = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?"
    r"(?: using (\S+))?(?: on (\S+))?"
)


@dataclass(frozen=True)
class BigUser:
    """The user the statements are explained for, and what the calls need of its todos."""

    id: uuid.UUID
    todos: int
    deep_key: PageKey  # the cursor of a deep page
    deep_offset: int
    todo_id: uuid.UUID  # a todo to get and patch
    other_todo_id: uuid.UUID  # a todo to delete in the explained (rolled back) statement


def list_query(query_string: str) -> ListQuery:
    """The ListQuery the service makes of a list's query string (its own parser)."""
    request = Request({"type": "http", "query_string": query_string.encode(), "headers": []})
    return list_query_of(request)


def _listing(user: uuid.UUID, query: ListQuery) -> RepositoryCall:
    return lambda repository: repository.list(user, query)


def explain_adapter_statements(
    scratch: Scratch,
    big: BigUser,
    thousand_user: uuid.UUID,
    list_queries: list[tuple[str, str]] = [],  # noqa: B006  # read, never changed
) -> tuple[str, str]:
    """(a table: the scans in each statement's plan; the full plans). `list_queries` are
    (label, query string) of more lists to explain for the big user."""
    now = datetime.now(UTC)
    new_todo = Todo.create(
        id=uuid.uuid4(),
        user_id=big.id,
        title="explain me",
        description=None,
        is_completed=False,
        now=now,
    )
    who = f"{big.todos:,}-todo user"
    calls: list[tuple[str, RepositoryCall]] = [
        (
            f"list, first page (limit=50), {who}",
            lambda r: r.list(big.id, ListQuery(limit=50)),
        ),
        (
            f"list, deep page by cursor (offset {big.deep_offset:,}), {who}",
            lambda r: r.list(big.id, ListQuery(limit=50, after=big.deep_key)),
        ),
        (
            f"list, is_completed=false, first page, {who}",
            lambda r: r.list(big.id, ListQuery(is_completed=False, limit=50)),
        ),
        ("list, no limit, 1,000-todo user", lambda r: r.list(thousand_user, ListQuery())),
        *(
            (f"list, {label}, {who}", _listing(big.id, list_query(query)))
            for label, query in list_queries
            if query != "limit=50"
        ),
        (f"get by id, {who}", lambda r: r.get(big.id, big.todo_id)),
        (
            f"patch (is_completed), {who}",
            lambda r: r.update(
                big.id,
                big.todo_id,
                TodoChanges(is_completed=True),
                expected_versions=None,
                now=now,
            ),
        ),
        (f"create, {who}", lambda r: r.add(big.id, new_todo, None)),
        (f"delete, {who}", lambda r: r.delete(big.id, new_todo.id, expected_versions=None)),
    ]
    first_columns = _first_column_of_indexes(scratch)
    table_pages = {
        str(name): int(pages)
        for name, pages in scratch.execute(
            "SELECT relname, relpages FROM pg_class "
            "WHERE relname IN ('users', 'todos', 'todo_counts', 'todo_tags')"
        )
    }
    # The capture ran the statements for real: explain the create with a fresh id and the
    # delete on a todo that exists (both in a transaction rolled back).
    overrides = {"create": {"id": str(uuid.uuid4())}, "delete": {"id": str(big.other_todo_id)}}
    summaries = []
    plans = []
    for label, statement, params in _capture_statements(scratch, calls):
        params = params | overrides.get(label.split(" ")[0].rstrip(","), {})
        plan = _explain(scratch, statement, params)
        summaries.append([label, _scan_summary(plan, first_columns, table_pages)])
        sql_text = " ".join(statement.split())
        plans.append(
            f"--- {label}\n    SQL: {sql_text[:400]}{' ...' if len(sql_text) > 400 else ''}\n"
            + "\n".join("    " + line for line in plan)
        )
    summary = table(["statement", "scans in the plan (EXPLAIN ANALYZE)"], summaries, left=2)
    return summary, "\n".join(plans)


def _capture_statements(
    scratch: Scratch, calls: list[tuple[str, RepositoryCall]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """Run repository calls on an engine like the service's and capture what they send. The
    capture is at the driver's cursor: the repository may bypass SQLAlchemy's execution (and
    its events) for the DBAPI connection."""
    captured: list[tuple[str, dict[str, Any]]] = []

    class RecordingCursor(psycopg2.extensions.cursor):  # type: ignore[misc]  # no stubs
        def execute(self, query: str, params: Any = None) -> Any:
            captured.append((query, dict(params or {})))
            return super().execute(query, params)

    def record_cursors(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.cursor_factory = RecordingCursor

    engine = create_database_engine(scratch.owner_url)
    event.listen(engine, "connect", record_cursors)
    out = []
    try:
        repository = PostgresTodoRepository(engine)
        for label, call in calls:
            before = len(captured)
            call(repository)
            if len(captured) == before:
                raise Broken(f"EXPLAIN: captured no statement for {label!r}")
            out += [(label, statement, params) for statement, params in captured[before:]]
    finally:
        engine.dispose()
    return out


def _explain(scratch: Scratch, statement: str, params: dict[str, Any]) -> list[str]:
    """EXPLAIN ANALYZE the statement as the app's role, in a transaction rolled back. A query
    string of several statements (a set_config before the real one) runs them all, explaining
    the last. It runs twice, the first time undone by a savepoint and not shown: a pooled
    connection of the service has already planned such statements and compiled the trigger
    functions, a fresh one has not."""
    parts = [p for p in statement.split(";") if p.strip()]
    connection = psycopg2.connect(scratch.owner_url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            for part in parts[:-1]:
                cursor.execute(part, params)
            cursor.execute("SAVEPOINT warm")
            cursor.execute(parts[-1], params)
            cursor.execute("ROLLBACK TO SAVEPOINT warm")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + parts[-1], params)
            lines = [str(row[0]) for row in cursor.fetchall()]
        connection.rollback()
    finally:
        connection.close()
    return lines


def _first_column_of_indexes(scratch: Scratch) -> dict[str, str]:
    rows = scratch.execute(
        """SELECT i.relname, a.attname FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
           WHERE t.relname IN ('todos', 'users', 'todo_counts', 'idempotency_keys', 'todo_tags')"""
    )
    return {str(index): str(column) for index, column in rows}


def _scan_summary(
    plan: list[str], first_columns: dict[str, str], table_pages: dict[str, int]
) -> str:
    """The scans of a plan, each with whether its index leads with user_id; the run time."""
    found = []
    for line in plan:
        match = _SCAN.search(line)
        if not match:
            continue
        kind, index, relation = match.groups()
        if kind == "Seq Scan":
            pages = table_pages.get(relation or "", "?")
            tiny = isinstance(pages, int) and pages < 10
            found.append(
                f"SEQ SCAN on {relation} ({pages} pages"
                + (": the planner's pick for tiny tables)" if tiny else ")")
            )
            continue
        if kind == "Bitmap Index Scan":
            index = relation
        lead = first_columns.get(index or "", "?")
        verdict = "user_id-led" if lead == "user_id" else f"leads with {lead}"
        if index == "users_pkey":
            verdict = "the user's own row"
        found.append(f"{kind} on {index} ({verdict})")
    times = [line.strip() for line in plan if line.startswith("Execution Time")]
    return "; ".join(found or ["no scan (no table read)"]) + (f"; {times[0]}" if times else "")
