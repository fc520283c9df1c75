"""per-user counts kept by statement-level triggers (linear); the per-user todo limit

0004's row-level trigger updated one todo_counts row once per changed todo. Inside one
statement every update of that row leaves a version that the statement itself cannot prune, and
each next update walks that chain again: N rows cost O(N^2) (200,000 inserted in one statement:
9 min 10 s; deleting a heavy user through ON DELETE CASCADE, the same). These triggers fire once
per statement and read its transition tables: one aggregate, one upsert per user touched, O(N).

todo_slot_free() is how a create checks MAX_TODOS_PER_USER atomically (see its comment).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARDS = 8
# Advisory locks of the todo limit take the two-key form, (this class, hash of the user id): a
# key space apart from the migration lock's single bigint key.
TODO_LIMIT_LOCK_CLASS = 2005

_UPSERT = f"""
        INSERT INTO todo_counts AS c (user_id, shard, total, completed)
        SELECT user_id, pg_backend_pid() % {SHARDS}, sum(total), sum(completed) FROM (CHANGES) AS d
        GROUP BY user_id HAVING sum(total) <> 0 OR sum(completed) <> 0
        ORDER BY user_id  -- one lock order for every writer: no deadlock between statements
        ON CONFLICT (user_id, shard) DO UPDATE
        SET total = c.total + EXCLUDED.total, completed = c.completed + EXCLUDED.completed;"""
_ADDED = "SELECT user_id, 1 AS total, is_completed::int AS completed FROM new_rows"
# A user deleted in this transaction (ON DELETE CASCADE from users) has no counts to keep:
# their counter rows go by the same cascade, and a new one would break its foreign key.
_REMOVED = (
    "SELECT user_id, -1 AS total, -is_completed::int AS completed FROM old_rows"
    " WHERE EXISTS (SELECT 1 FROM users WHERE users.id = old_rows.user_id)"
)


def _upsert(changes: str) -> str:
    return _UPSERT.replace("CHANGES", changes)


COUNT_TODO_CHANGES = f"""
CREATE FUNCTION count_todo_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN{_upsert(_ADDED)}
    ELSIF TG_OP = 'DELETE' THEN{_upsert(_REMOVED)}
    ELSE{_upsert(_ADDED + " UNION ALL " + _REMOVED)}
    END IF;
    RETURN NULL;
END
$$
"""

# Called by the service's create statement: may `owner` store one more todo? Exact under
# concurrency, and without making one user's concurrent creates wait for each other until they
# are near the limit. Runs in READ COMMITTED (the default), where each query in a function sees
# what is committed when it starts, not the calling statement's older snapshot.
# - Far from the limit (what is stored, plus one in-flight create per possible server
#   connection, stays under it), creates take a shared lock: they never wait for each other.
#   The count is read again once the lock is held, so no create of the near path is missed.
# - Near it, a create takes the lock exclusively: it waits for every create in flight to
#   commit, counts exactly, and stores only under the limit; others wait for it in turn.
# - A count that crossed into "near" between the two reads ends the statement with a
#   serialization failure: nothing was stored, and the service runs it again (the near path).
TODO_SLOT_FREE = f"""
CREATE FUNCTION todo_slot_free(owner uuid, max_todos integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    in_flight integer := current_setting('max_connections')::integer;
    lock_key integer := hashtext(owner::text);
    held bigint;
BEGIN
    SELECT coalesce(sum(total), 0) INTO held FROM todo_counts WHERE user_id = owner;
    IF held + in_flight < max_todos THEN
        PERFORM pg_advisory_xact_lock_shared({TODO_LIMIT_LOCK_CLASS}, lock_key);
        SELECT coalesce(sum(total), 0) INTO held FROM todo_counts WHERE user_id = owner;
        IF held + in_flight < max_todos THEN
            RETURN true;
        END IF;
        RAISE EXCEPTION 'todo count of a user came near the limit: run the create again'
            USING ERRCODE = 'serialization_failure';
    END IF;
    PERFORM pg_advisory_xact_lock({TODO_LIMIT_LOCK_CLASS}, lock_key);
    SELECT coalesce(sum(total), 0) INTO held FROM todo_counts WHERE user_id = owner;
    RETURN held < max_todos;
END
$$
"""

# 0004's row-level trigger, for the downgrade.
COUNT_TODOS_PER_ROW = f"""
CREATE OR REPLACE FUNCTION count_todos() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_of todos%ROWTYPE := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    added integer := CASE TG_OP WHEN 'INSERT' THEN 1 WHEN 'DELETE' THEN -1 ELSE 0 END;
    completed integer := CASE TG_OP
        WHEN 'INSERT' THEN NEW.is_completed::int
        WHEN 'DELETE' THEN -OLD.is_completed::int
        ELSE NEW.is_completed::int - OLD.is_completed::int END;
BEGIN
    IF added = 0 AND completed = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO todo_counts AS c (user_id, shard, total, completed)
    VALUES (row_of.user_id, pg_backend_pid() % {SHARDS}, added, completed)
    ON CONFLICT (user_id, shard) DO UPDATE
    SET total = c.total + EXCLUDED.total, completed = c.completed + EXCLUDED.completed;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    # DDL on todos locks it until commit: no write happens between the old trigger and the new.
    op.execute("DROP TRIGGER todos_counted ON todos")
    op.execute("DROP FUNCTION count_todos()")
    op.execute(COUNT_TODO_CHANGES)
    for event, transitions in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER todos_counted_{event.lower()} AFTER {event} ON todos "
            f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION count_todo_changes()"
        )
    op.execute(TODO_SLOT_FREE)


def downgrade() -> None:
    op.execute("DROP FUNCTION todo_slot_free(uuid, integer)")
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER todos_counted_{event} ON todos")
    op.execute("DROP FUNCTION count_todo_changes()")
    op.execute(COUNT_TODOS_PER_ROW)
    op.execute(
        "CREATE TRIGGER todos_counted AFTER INSERT OR DELETE OR UPDATE OF is_completed "
        "ON todos FOR EACH ROW EXECUTE FUNCTION count_todos()"
    )
