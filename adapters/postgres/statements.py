"""The SQL of each operation: one statement each, scoped by user_id. psycopg2 interpolates
parameters client-side, so nothing is prepared on the server (safe behind PgBouncer).

Each statement that touches a user's rows is sent after `set_config('app.user_id', ...,
true)` in the same query string: PostgreSQL runs a multi-statement query as one implicit
transaction, so the setting holds for exactly that statement, costs no extra round trip, and
lives in one transaction (one server connection, even behind PgBouncer in transaction mode).
Row-level security (migration 0002) admits only rows of that user.

The same first statement sets statement_timeout and lock_timeout for that transaction (the
%(statement_timeout)s and %(lock_timeout)s parameters, which calls.py supplies): a bound on the
server side for every statement, at no extra round trip."""

from adapters.postgres.mapping import FOLDED_COLUMNS, TODO_COLUMNS

_BOUNDED = (
    "set_config('statement_timeout', %(statement_timeout)s, true),"
    " set_config('lock_timeout', %(lock_timeout)s, true)"
)
AS_USER = f"SELECT set_config('app.user_id', %(user_id)s, true), {_BOUNDED};\n"

_ENSURE_USER = "INSERT INTO users (id) VALUES (%(user_id)s::uuid) ON CONFLICT (id) DO NOTHING"
_TODO_VALUES = (
    "%(id)s::uuid, %(user_id)s::uuid, %(title)s, %(description)s, %(is_completed)s,"
    " %(created_at)s, %(updated_at)s, %(version)s, %(priority)s, %(tags)s::text[], %(due_at)s,"
    " %(completed_at)s, %(title_key)s, %(description_key)s"
)
_STORED_COLUMNS = f"{TODO_COLUMNS}, {FOLDED_COLUMNS}"

# todo_slot_free() (migration 0005) holds the user's todo limit, atomically: it says whether
# one more todo may be stored, and holds the lock that makes that true until commit.
_SLOT = "SELECT todo_slot_free(%(user_id)s::uuid, %(max_todos)s) AS free"

# The user is provisioned in the same statement as their first todo; the foreign key is
# checked at the end of the statement, when the user row exists. No row back: the user holds
# the most todos one may.
ADD = f"""{AS_USER}
WITH new_user AS ({_ENSURE_USER}),
slot AS ({_SLOT})
INSERT INTO todos ({_STORED_COLUMNS}) SELECT {_TODO_VALUES} WHERE (SELECT free FROM slot)
RETURNING {TODO_COLUMNS}
"""

# With an idempotency key: a key already stored answers its snapshot ('replayed'); else the
# limit is checked, then the key row is claimed, and the todo is stored only if the claim won
# ('stored'); a user at the limit gets 'full' and nothing is stored, not even the key. A key
# claimed by a transaction still running when this statement started is not visible to it:
# then no row (or 'full') comes back and the adapter reads the key again (the only cases that
# cost a second round trip).
_KEY_SNAPSHOT = """
SELECT 'replayed', fingerprint, todo_id, user_id, title, description, is_completed,
       created_at, created_at, 1, priority, tags, due_at,
       CASE WHEN is_completed THEN created_at END
FROM idempotency_keys WHERE user_id = %(user_id)s::uuid AND key = %(key)s"""

ADD_WITH_KEY = f"""{AS_USER}
WITH new_user AS ({_ENSURE_USER}),
known AS (SELECT 1 FROM idempotency_keys WHERE user_id = %(user_id)s::uuid AND key = %(key)s),
slot AS ({_SLOT} WHERE NOT EXISTS (SELECT 1 FROM known)),
claim AS (
    INSERT INTO idempotency_keys
        (user_id, key, fingerprint, todo_id, title, description, is_completed, created_at,
         priority, tags, due_at)
    SELECT %(user_id)s::uuid, %(key)s, %(fingerprint)s, %(id)s::uuid, %(title)s,
           %(description)s, %(is_completed)s, %(created_at)s, %(priority)s, %(tags)s::text[],
           %(due_at)s
    WHERE (SELECT free FROM slot)
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING 1
),
stored AS (
    INSERT INTO todos ({_STORED_COLUMNS})
    SELECT {_TODO_VALUES} WHERE EXISTS (SELECT 1 FROM claim)
    RETURNING {TODO_COLUMNS}
)
SELECT 'stored', %(fingerprint)s, {TODO_COLUMNS} FROM stored
UNION ALL
{_KEY_SNAPSHOT} AND NOT EXISTS (SELECT 1 FROM claim)
UNION ALL
SELECT 'full', NULL, {", ".join(["NULL"] * len(TODO_COLUMNS.split(",")))}
FROM slot WHERE NOT free
"""

READ_KEY = AS_USER + _KEY_SNAPSHOT


_THIS_TODO = "user_id = %(user_id)s::uuid AND id = %(id)s::uuid"

GET = f"{AS_USER}SELECT {TODO_COLUMNS} FROM todos WHERE {_THIS_TODO}"

VERSION = f"{AS_USER}SELECT version FROM todos WHERE {_THIS_TODO}"


def update(columns: list[str], *, conditional: bool) -> str:
    """Set `columns` from parameters of the same names. completed_at follows is_completed by
    the entity's rule (domain.todo.completed_at_after), written here in SQL so the update stays
    one statement without reading the row first."""
    assignments = [f"{column} = %({column})s" for column in columns]
    if "tags" in columns:
        assignments[columns.index("tags")] = "tags = %(tags)s::text[]"
    if "is_completed" in columns:
        assignments.append(
            "completed_at = CASE WHEN %(is_completed)s THEN coalesce(completed_at, %(now)s) END"
        )
    condition = " AND version = ANY(%(expected_versions)s)" if conditional else ""
    return (
        f"{AS_USER}UPDATE todos SET {', '.join(assignments)}, updated_at = %(now)s,"
        f" version = version + 1 WHERE {_THIS_TODO}{condition} RETURNING {TODO_COLUMNS}"
    )


def delete(*, conditional: bool) -> str:
    condition = " AND version = ANY(%(expected_versions)s)" if conditional else ""
    return f"{AS_USER}DELETE FROM todos WHERE {_THIS_TODO}{condition} RETURNING id"


TAGS = f"""{AS_USER}
SELECT tag, count(*) FROM todo_tags WHERE user_id = %(user_id)s::uuid GROUP BY tag ORDER BY tag
"""

# Ready means able to serve: writable (not read-only, not a standby after a failover), and
# no lock held by someone else on a table the service uses (naming a table takes a lock on
# it, even when no row is read; lock_timeout bounds the wait).
PING = f"""SELECT {_BOUNDED};
SELECT NOT current_setting('transaction_read_only')::boolean
FROM (SELECT FROM users, todos, todo_counts, idempotency_keys WHERE false) AS locked
RIGHT JOIN (VALUES (1)) AS one ON true"""
