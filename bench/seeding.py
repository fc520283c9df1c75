"""Seeding the scratch database: the users and todos of the CRUD mix and of --size, and the
files of "user_id todo_id" lines that bench/crud_mix.lua reads."""

import contextlib
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions

from bench.floor_todos import COLUMNS as FLOOR_COLUMNS
from bench.floor_todos import SCHEMA as FLOOR_SCHEMA
from bench.progress import log
from bench.scratch_database import Scratch

_TODO_COLUMNS = "user_id, id, title, description, is_completed, created_at, updated_at, version"


def todo_insert(select: str) -> str:
    """INSERT the todos `select` yields (the columns of _TODO_COLUMNS), with the v1.2 fields
    spread over them: priorities evenly; one of ten tags t0..t9 each, plus "urgent" on 1 in
    100; a due date on two in three; completed_at when completed. A hash of the id picks,
    so the spread does not follow creation order; a different slice of the hash for each field,
    so the fields do not follow each other (with mod(h, 100) = 0 for "urgent", every urgent
    todo had priority none: a filter on it sorted by -priority then walked the whole priority
    index, 820 ms at 1,000,000 todos). title_key is lower(title): the seeded titles
    are ASCII, where it equals the domain's case folding."""
    return f"""
INSERT INTO todos ({_TODO_COLUMNS}, title_key, priority, tags, due_at, completed_at)
SELECT s.*, lower(s.title), mod(h / 7, 4)::smallint,
       CASE WHEN mod(h / 11, 100) = 0 THEN ARRAY['t' || mod(h, 10), 'urgent']
            ELSE ARRAY['t' || mod(h, 10)] END,
       CASE WHEN mod(h / 13, 3) <> 0 THEN s.created_at + mod(h, 1000) * interval '1 hour' END,
       CASE WHEN s.is_completed THEN s.updated_at END
FROM ({select}) AS s ({_TODO_COLUMNS}),
     LATERAL (SELECT abs(hashtext(s.id::text)) AS h) AS hashed
"""


def write_todo_pairs(path: Path, pairs: Iterable[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{user} {todo}\n" for user, todo in pairs))
    return path


@contextlib.contextmanager
def bulk_load(cursor: psycopg2.extensions.cursor) -> Iterator[None]:
    """Seed with triggers off (the admin may: session_replication_role), then fill in the
    per-user counts the trigger keeps in todo_counts (migration 0004). The per-row trigger
    would add to a user's counts once per todo: a million times for the big user of --size.
    One counts row per user is enough; the trigger spreads later writes over the others."""
    cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("RESET session_replication_role")
    cursor.execute(
        "INSERT INTO todo_counts (user_id, shard, total, completed) "
        "SELECT user_id, 0, count(*), count(*) FILTER (WHERE is_completed) "
        "FROM todos GROUP BY user_id"
    )
    # ... and the tag rows the trigger of migration 0006 keeps.
    cursor.execute(
        "INSERT INTO todo_tags (user_id, tag, todo_id) SELECT user_id, unnest(tags), id FROM todos"
    )


@dataclass
class SeededMix:
    """Seeded ids for the CRUD mix, in files crud_mix.lua reads."""

    workdir: Path
    ids_file: Path  # the todos get and patch target
    list_user: str  # a user with 50 todos, whose list is fetched
    deletable: list[tuple[str, str]]
    users: int
    todos: int
    handed_out: int = 0

    def deletable_file(self, share: int) -> Path:
        """A file of `share` seeded deletable todos that no earlier run was given."""
        start = self.handed_out
        chunk = self.deletable[start : start + share]
        self.handed_out += len(chunk)
        return write_todo_pairs(self.workdir / f"deletable-{start}.txt", chunk)


def seed_mix(
    scratch: Scratch, workdir: Path, *, users: int, per_user: int, deletable_per_user: int
) -> SeededMix:
    """`users` users with `per_user` todos each (get and patch target these), a list user
    with 50, and `deletable_per_user` more per user that deletes may take."""
    log(
        f"seeding {users:,} users x {per_user} todos, {deletable_per_user} deletable each, "
        "and one user with 50"
    )
    connection = scratch.admin()
    try:
        with connection.cursor() as cursor, bulk_load(cursor):
            cursor.execute(
                "INSERT INTO users (id) SELECT gen_random_uuid() FROM generate_series(1, %s)",
                (users,),
            )
            list_user = str(uuid.uuid4())
            cursor.execute("INSERT INTO users (id) VALUES (%s)", (list_user,))

            def insert(where: str, count: int, kind: str) -> list[tuple[str, str]]:
                cursor.execute(
                    todo_insert(
                        f"""SELECT user_id, gen_random_uuid(), title, description, done, at, at, 1
                    FROM (SELECT u.id AS user_id, '{kind} todo ' || g AS title,
                                 'a description of ' || g AS description, g %% 3 = 0 AS done,
                                 now() - make_interval(secs => g * 60 + random()) AS at
                          FROM users u CROSS JOIN generate_series(1, {count}) g
                          WHERE {where}) AS s"""
                    )
                    + " RETURNING user_id, id",
                    (list_user,),
                )
                return [(str(u), str(t)) for u, t in cursor.fetchall()]

            pool = insert("u.id <> %s", per_user, "seeded")
            insert("u.id = %s", 50, "listed")
            deletable = insert("u.id <> %s", deletable_per_user, "deletable")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
    return SeededMix(
        workdir=workdir,
        ids_file=write_todo_pairs(workdir / "ids.txt", pool),
        list_user=list_user,
        deletable=deletable,
        users=users,
        todos=len(pool) + 50 + len(deletable),
    )


def seed_floor(scratch: Scratch) -> None:
    """The floor app's table (bench/floor_todos.py), created by the role the apps connect as,
    holding a copy of the seeded todos: the same users and ids, so the id files the Lua script
    reads serve the floor unchanged. Call it right after seed_mix, before any run deletes."""
    owner = psycopg2.connect(scratch.owner_url, connect_timeout=5)
    try:
        with owner, owner.cursor() as cursor:
            cursor.execute(FLOOR_SCHEMA)
    finally:
        owner.close()
    # As the admin: row-level security hides every todo from the owner without a user set.
    copied = scratch.execute(
        f"WITH copied AS (INSERT INTO floor_todos ({FLOOR_COLUMNS}) SELECT {FLOOR_COLUMNS}"
        " FROM todos RETURNING 1) SELECT count(*) FROM copied"
    )
    log(f"floor_todos: {copied[0][0]:,} todos copied from todos")


def seed_size(scratch: Scratch, *, big: int, others: int, per_other: int) -> dict[str, str]:
    """`others` users with `per_other` todos each, and four more: "big" with `big` todos,
    "small" with 50, "thousand" with 1,000 and "ten_thousand" with 10,000. Returns the ids of
    those four."""
    named = ("big", "small", "thousand", "ten_thousand")
    users = {key: str(uuid.uuid4()) for key in named}
    connection = scratch.admin()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        with connection.cursor() as cursor, bulk_load(cursor):
            cursor.execute(
                "INSERT INTO users (id) VALUES (%s), (%s), (%s), (%s)",
                tuple(users[key] for key in named),
            )
            cursor.execute(
                "INSERT INTO users (id) SELECT gen_random_uuid() FROM generate_series(1, %s)",
                (others,),
            )
            started = time.monotonic()
            select = """SELECT {user}, gen_random_uuid(), 'todo number ' || g,
                CASE WHEN g %% 2 = 0 THEN 'the description of todo ' || g END, g %% 4 = 0,
                %(t0)s + g * interval '1 second', %(t0)s + g * interval '1 second', 1"""
            log(f"seeding {others:,} users x {per_other} todos")
            cursor.execute(
                todo_insert(
                    select.format(user="u.id")
                    + " FROM users u CROSS JOIN generate_series(1, %(n)s) g"
                    " WHERE u.id NOT IN (%(big)s, %(small)s, %(thousand)s, %(ten_thousand)s)"
                ),
                {"t0": t0, "n": per_other, **users},
            )
            sizes = (("small", 50), ("thousand", 1000), ("ten_thousand", 10_000), ("big", big))
            for key, count in sizes:
                log(
                    f"seeding {count:,} todos for the {key} user "
                    "(INSERT ... SELECT generate_series)"
                )
                cursor.execute(
                    todo_insert(
                        select.format(user="%(user)s::uuid") + " FROM generate_series(1, %(n)s) g"
                    ),
                    {"t0": t0, "n": count, "user": users[key]},
                )
        log(f"seeded in {time.monotonic() - started:.1f} s (with counts); VACUUM ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size_row: Any = cursor.fetchone()
            log(f"database size {size_row[0] if size_row else '?'}")
    finally:
        connection.close()
    return users
