"""The list statement: filters, sort and keyset page in one statement, with the count.

Every sort has an index (user_id, <sort column>, created_at, id) (migration 0006), so a page
without filters reads `limit` index entries wherever it starts. due_at has todos without a due
date last in both directions, which no single index order gives for both: the page is the
union of the dated part and the undated part, each an index range scan of at most `limit`
rows, and the undated part is reached only when the dated one runs out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from adapters.postgres.mapping import TODO_COLUMNS
from adapters.postgres.statements import AS_USER
from application.list_query import ListQuery, SortKey

_AFTER = "(%(after_value)s, %(after_created_at)s, %(after_id)s::uuid)"

_COLUMN = {
    SortKey.CREATED_AT: "created_at",
    SortKey.UPDATED_AT: "updated_at",
    SortKey.DUE_AT: "due_at",
    SortKey.PRIORITY: "priority",
    SortKey.TITLE: "title_key",
}

# A user's kept counts (at most 8 rows, see migration 0004): the count costs the same however
# many todos there are, when no filter beyond is_completed needs the rows themselves.
_KEPT_COUNT = """(
    SELECT CASE WHEN %(is_completed)s IS NULL THEN coalesce(sum(total), 0)
                WHEN %(is_completed)s THEN coalesce(sum(completed), 0)
                ELSE coalesce(sum(total), 0) - coalesce(sum(completed), 0) END AS n
    FROM todo_counts WHERE user_id = %(user_id)s::uuid
)"""


def _filters(query: ListQuery, params: dict[str, Any]) -> list[str]:
    where = ["user_id = %(user_id)s::uuid"]
    if query.is_completed is not None:
        where.append("is_completed = %(is_completed)s")
    if query.priorities:
        where.append("priority = ANY (%(priorities)s::smallint[])")
        params["priorities"] = sorted(priority.rank for priority in query.priorities)
    for n, tag in enumerate(query.tags):
        where.append(
            "EXISTS (SELECT 1 FROM todo_tags AS g WHERE g.user_id = %(user_id)s::uuid"
            f" AND g.tag = %(tag{n})s AND g.todo_id = todos.id)"
        )
        params[f"tag{n}"] = tag
    if query.due_before is not None:
        where.append("due_at < %(due_before)s")
        params["due_before"] = query.due_before
    if query.due_after is not None:
        where.append("due_at >= %(due_after)s")
        params["due_after"] = query.due_after
    if query.text is not None:
        where.append("(strpos(title_key, %(text)s) > 0 OR strpos(description_key, %(text)s) > 0)")
        params["text"] = query.text
    return where


def _select(where: list[str], order: str, limit: str, extra_column: str) -> str:
    return (
        f"SELECT {TODO_COLUMNS}{extra_column} FROM todos WHERE {' AND '.join(where)}"
        f" ORDER BY {order}{limit}"
    )


def list_statement(user_id: UUID, query: ListQuery) -> tuple[str, dict[str, Any]]:
    """The statement and its parameters. Rows: (count, *TODO_COLUMNS[, title_key]) in list
    order; one row with NULL columns when the page is empty."""
    params: dict[str, Any] = {"user_id": str(user_id), "is_completed": query.is_completed}
    where = _filters(query, params)
    direction = " DESC" if query.sort.descending else ""
    beyond = "<" if query.sort.descending else ">"
    limit = ""
    if query.limit is not None:
        limit = " LIMIT %(limit)s"
        params["limit"] = query.limit + 1  # one more tells whether another page follows
    after = query.after
    if after is not None:
        params |= {
            "after_created_at": after.created_at,
            "after_id": str(after.id),
            "after_value": after.value,
        }
    ties = f"created_at{direction}, id{direction}"
    ties_after = f"(created_at, id) {beyond} (%(after_created_at)s, %(after_id)s::uuid)"
    column = _COLUMN[query.sort.key]
    extra = ", title_key" if query.sort.key is SortKey.TITLE else ""
    if query.sort.key is SortKey.CREATED_AT:
        page = _select(where + ([ties_after] if after else []), ties, limit, extra)
        outer = ties
    elif query.sort.key is not SortKey.DUE_AT:
        keyset = f"({column}, created_at, id) {beyond} {_AFTER}"
        page = _select(
            where + ([keyset] if after else []), f"{column}{direction}, {ties}", limit, extra
        )
        outer = f"{column}{direction}, {ties}"
    else:
        page = _due_page(where, after is not None, after is not None and after.value is None,
                         direction, beyond, ties, ties_after, limit)  # fmt: skip
        outer = f"due_at IS NULL, due_at{direction}, {ties}"
    count = (
        f"(SELECT count(*) AS n FROM todos WHERE {' AND '.join(where)})"
        if query.filters_beyond_completion
        else _KEPT_COUNT
    )
    outer_page = ", ".join(f"page.{term.strip()}" for term in outer.split(","))
    statement = f"""{AS_USER}
SELECT c.n, page.* FROM {count} AS c
LEFT JOIN LATERAL ({page}) AS page ON true
ORDER BY {outer_page}
"""
    return statement, params


def _due_page(
    where: list[str],
    paging: bool,
    in_undated: bool,
    direction: str,
    beyond: str,
    ties: str,
    ties_after: str,
    limit: str,
) -> str:
    """Dated todos in due_at order, then undated ones: each part a range scan of the due index."""
    undated = _select(
        [*where, "due_at IS NULL", *([ties_after] if in_undated else [])], ties, limit, ""
    )
    if in_undated:  # the cursor is past every dated todo
        return undated
    keyset = f"(due_at, created_at, id) {beyond} {_AFTER}"
    dated = _select(
        [*where, "due_at IS NOT NULL", *([keyset] if paging else [])],
        f"due_at{direction}, {ties}",
        limit,
        "",
    )
    return (
        f"SELECT * FROM (({dated}) UNION ALL ({undated})) AS both_parts"
        f" ORDER BY due_at IS NULL, due_at{direction}, {ties}{limit}"
    )
