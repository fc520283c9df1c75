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

import psycopg2.extensions

from bench.progress import log
from bench.scratch_database import Scratch

TODO_INSERT = """
INSERT INTO todos (user_id, id, title, description, is_completed, created_at, updated_at, version)
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
                    TODO_INSERT
                    + f"""SELECT user_id, gen_random_uuid(), title, description, done, at, at, 1
                    FROM (SELECT u.id AS user_id, '{kind} todo ' || g AS title,
                                 'a description of ' || g AS description, g %% 3 = 0 AS done,
                                 now() - make_interval(secs => g * 60 + random()) AS at
                          FROM users u CROSS JOIN generate_series(1, {count}) g
                          WHERE {where}) AS s
                    RETURNING user_id, id""",
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


def seed_size(scratch: Scratch, *, big: int, others: int, per_other: int) -> dict[str, str]:
    """`others` users with `per_other` todos each, and three more: "big" with `big` todos,
    "small" with 50 and "thousand" with 1,000. Returns the ids of those three."""
    users = {"big": str(uuid.uuid4()), "small": str(uuid.uuid4()), "thousand": str(uuid.uuid4())}
    connection = scratch.admin()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        with connection.cursor() as cursor, bulk_load(cursor):
            cursor.execute(
                "INSERT INTO users (id) VALUES (%s), (%s), (%s)",
                (users["big"], users["small"], users["thousand"]),
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
                TODO_INSERT
                + select.format(user="u.id")
                + " FROM users u CROSS JOIN generate_series(1, %(n)s) g"
                " WHERE u.id NOT IN (%(big)s, %(small)s, %(thousand)s)",
                {"t0": t0, "n": per_other, **users},
            )
            for key, count in (("small", 50), ("thousand", 1000), ("big", big)):
                log(
                    f"seeding {count:,} todos for the {key} user "
                    "(INSERT ... SELECT generate_series)"
                )
                cursor.execute(
                    TODO_INSERT
                    + select.format(user="%(user)s::uuid")
                    + " FROM generate_series(1, %(n)s) g",
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
