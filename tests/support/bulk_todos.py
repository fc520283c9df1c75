"""Many todos for one user, inserted straight into PostgreSQL: a 100,000-todo list in seconds,
where the API would take minutes. Through the triggers (the user's counts stay right), as the
service's own role (row-level security admits the rows of `app.user_id` only)."""

from __future__ import annotations

import psycopg2

BATCH = 1000  # rows per statement: the per-row count trigger costs more per row in bigger ones
TITLE_LENGTH = 255
DESCRIPTION_LENGTH = 2000

_INSERT = """
INSERT INTO todos (user_id, id, title, description, is_completed, created_at, updated_at, version,
                   completed_at, title_key, description_key)
SELECT %(user)s::uuid, gen_random_uuid(), title, description, g %% 2 = 0, at, at, 1,
       CASE WHEN g %% 2 = 0 THEN at END,
       lower(title), lower(description)  -- ASCII text: lower() is the domain's case folding
FROM (
    SELECT g, left(g || repeat(' title', 50), %(title_length)s - 1) || '.' AS title,
           left(repeat('a long description ', 110), %(description_length)s) AS description,
           timestamptz '2026-01-01' + g * interval '1 millisecond' AS at
    FROM generate_series(%(first)s, %(last)s) AS g
) AS generated
"""


def seed_todos(database_url: str, user: str, count: int, *, largest: bool = True) -> None:
    """`count` todos for `user` (a new user): with `largest`, every title and description at its
    maximum length, about 2.4 kB of JSON a todo."""
    lengths = (TITLE_LENGTH, DESCRIPTION_LENGTH) if largest else (12, 20)
    connection = psycopg2.connect(database_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.user_id', %s, false)", (user,))
            cursor.execute("INSERT INTO users (id) VALUES (%s)", (user,))
            for first in range(1, count + 1, BATCH):
                cursor.execute(
                    _INSERT,
                    {
                        "user": user,
                        "first": first,
                        "last": min(first + BATCH - 1, count),
                        "title_length": lengths[0],
                        "description_length": lengths[1],
                    },
                )
    finally:
        connection.close()
