"""--size: one user with 1,000,000 todos among 10,000 users with 20 each, against users with
10,000 and 50: p50 of list (first page of every sort, deep page, every filter and some
combinations), get and patch with no concurrent load, a list of 1,000 with no limit, and the
plan of each statement the adapter sends."""

import uuid
from datetime import datetime
from pathlib import Path

from application.ports import PageKey
from bench.progress import log
from bench.query_plans import BigUser, explain_adapter_statements
from bench.report import Report, fmt_ms, table
from bench.scratch_database import Scratch, scratch_database
from bench.seeding import seed_size, write_todo_pairs
from bench.servers import Server, serve
from bench.workload import script_args
from bench.wrk import Wrk
from bench.wrk_result import WrkRun
from entrypoints.http.cursor import encode_cursor

BIG_USER_TODOS = 1_000_000
OTHER_USERS = 10_000
CELL_S = 5.0
LIST_OF_1000_TARGET_MS = 20
SIZES = (("big", f"{BIG_USER_TODOS:,}"), ("ten_thousand", "10,000"), ("small", "50"))
SORTS = ("created_at", "updated_at", "-updated_at", "due_at", "-due_at", "priority",
         "-priority", "title", "-title")  # fmt: skip
# Filters over the seeded spread (bench/seeding.py todo_insert): a quarter of todos per
# priority, a tenth per tag t0..t9, 1 in 100 "urgent", two in three with a due date.
FILTERS = (
    "is_completed=false",
    "priority=high",
    "tags=t3",
    "tags=urgent",
    "due_before=2026-01-03T00:00:00Z",
    "due_after=2026-02-01T00:00:00Z",
    "q=number%20777",  # a few todos
    "q=todo",  # every todo
    "tags=t3&priority=high&sort=due_at",
    "is_completed=false&tags=urgent&sort=-priority",
    "q=number%20777&sort=title",
)
# (label, operation, query string of a list: None for the deep page, whose cursor depends on
# the user)
CASES: list[tuple[str, str, str | None]] = [
    ("first page (limit=50)", "list", "limit=50"),
    ("deep page by cursor", "list", None),
    *((f"sort={sort}", "list", f"limit=50&sort={sort}") for sort in SORTS),
    *((f"{query}", "list", f"limit=50&{query}") for query in FILTERS),
    ("get by id", "get", None),
    ("patch", "patch", None),
]


def run_size(wrk: Wrk, report: Report, python: str) -> None:
    with scratch_database("size") as scratch:
        users = seed_size(scratch, big=BIG_USER_TODOS, others=OTHER_USERS, per_other=20)
        deep_offsets = {"big": int(BIG_USER_TODOS * 0.9), "ten_thousand": 9000, "small": 25}
        deep_keys = {k: _page_key_at(scratch, users[k], off) for k, off in deep_offsets.items()}
        # get and patch pick among 1,000 random todos of the user (all 50 of the small one).
        id_files: dict[str, Path] = {}
        picked_ids: dict[str, list[str]] = {}
        for key, _ in SIZES:
            picked = scratch.execute(
                "SELECT user_id, id FROM todos WHERE user_id = %s ORDER BY random() LIMIT 1000",
                (users[key],),
            )
            pairs = [(str(u), str(t)) for u, t in picked]
            id_files[key] = write_todo_pairs(wrk.workdir / f"size-ids-{key}.txt", pairs)
            picked_ids[key] = [t for _, t in pairs]

        big = BigUser(
            id=uuid.UUID(users["big"]),
            todos=BIG_USER_TODOS,
            deep_key=deep_keys["big"],
            deep_offset=deep_offsets["big"],
            todo_id=uuid.UUID(picked_ids["big"][0]),
            other_todo_id=uuid.UUID(picked_ids["big"][1]),
        )
        list_queries = [(label, query) for label, op, query in CASES if op == "list" and query]
        summary, plans = explain_adapter_statements(
            scratch, big, uuid.UUID(users["thousand"]), list_queries
        )
        scratch.execute("VACUUM ANALYZE todos")

        results: dict[tuple[str, str], WrkRun] = {}
        no_limit = script_args(id_files["small"], users["thousand"], mix="list:1", list_query="-")
        with serve("service", python, scratch.owner_url, wrk.workdir) as server:
            for key, _ in SIZES:
                for label, op, query in CASES:
                    if query is None and op == "list":
                        query = f"limit=50&cursor={encode_cursor(deep_keys[key])}"
                    lua_args = script_args(
                        id_files[key], users[key], mix=f"{op}:1", list_query=query or "limit=50"
                    )
                    run = _one_connection(wrk, server, f"size-{op}", lua_args)
                    results[(key, label)] = run
                    log(f"size: {key} user, {label}: p50 {run.p50:.2f} ms, p99 {run.p99:.2f} ms")
            thousand = _one_connection(wrk, server, "list-1000", no_limit)
            log(f"size: list of 1,000, no limit: p50 {thousand.p50:.2f} ms")
        with serve("reference", python, scratch.owner_url, wrk.workdir) as server:
            thousand_ref = _one_connection(wrk, server, "list-1000", no_limit)
            log(f"size: list of 1,000, no limit, reference: p50 {thousand_ref.p50:.2f} ms")

    report.add("Size", size_table(results, deep_offsets) + _list_of_1000(thousand, thousand_ref))
    report.add("Size: EXPLAIN summary", summary)
    report.add("Size: EXPLAIN (ANALYZE, BUFFERS) of each statement", plans, in_summary=False)


def _page_key_at(scratch: Scratch, user: str, offset: int) -> PageKey:
    """The key of the todo at `offset` in the user's list: the cursor of a deep page."""
    rows = scratch.execute(
        "SELECT created_at, id FROM todos WHERE user_id = %s "
        "ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
        (user, offset),
    )
    created_at: datetime = rows[0][0]
    return PageKey(created_at, uuid.UUID(str(rows[0][1])))


def _one_connection(wrk: Wrk, server: Server, label: str, lua_args: dict[str, str]) -> WrkRun:
    """1 s of warm-up, then CELL_S measured, on one connection: no concurrent load."""
    wrk.run(server, conns=1, seconds=1, label="warmup", lua_args=lua_args)
    return wrk.run(server, conns=1, seconds=CELL_S, label=label, lua_args=lua_args)


def size_table(results: dict[tuple[str, str], WrkRun], deep_offsets: dict[str, int]) -> str:
    rows: list[list[object]] = []
    for label, _, _ in CASES:
        b, m, s = (results[(key, label)] for key, _ in SIZES)
        rows.append(
            [
                label,
                fmt_ms(b.p50),
                fmt_ms(b.p99),
                fmt_ms(m.p50),
                fmt_ms(s.p50),
                f"{b.p50 / s.p50:.2f}x",
                " | ".join(run.error_text() for run in (b, m, s)),
            ]
        )
    head = (
        f"One user with {BIG_USER_TODOS:,} todos among {OTHER_USERS:,} users with 20 each, vs "
        f"users with 10,000 and 50. One connection, no concurrent load, {CELL_S:.0f} s per cell."
        f" Deep page: cursor at offset {deep_offsets['big']:,} / {deep_offsets['ten_thousand']:,}"
        f" / {deep_offsets['small']}. Lists are limit=50. "
        "get and patch pick among 1,000 random todos of the user (all 50 for the small one).\n"
    )
    big = f"{BIG_USER_TODOS:,}"
    headers = ["request", f"{big} p50", f"{big} p99", "10,000 p50", "50 p50", "ratio p50"]
    return head + table([*headers, "errors 1M | 10k | 50"], rows)


def _list_of_1000(service: WrkRun, reference: WrkRun) -> str:
    met = "met" if service.p50 < LIST_OF_1000_TARGET_MS else "NOT met"
    return (
        f"\nlist of 1,000 todos, no limit (GET /api/v1/todos), one connection: service p50 "
        f"{service.p50:.2f} ms (p99 {service.p99:.2f}), reference p50 "
        f"{reference.p50:.2f} ms; target < {LIST_OF_1000_TARGET_MS} ms: {met}\n"
    )
