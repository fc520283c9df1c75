"""per-user counts spread over 8 rows per user (todo_counts), not one users row

0003 kept a user's counts on their users row, so every create or delete of that user's todos
updated the same row and waited for the previous writer's commit: 64 concurrent creates for
one user ran at about 400/s instead of 3,000/s. Each writer now adds to one of 8 rows, picked by
its server process, so concurrent writers for one user rarely wait for each other; a list sums
at most 8 rows through the primary key, whatever the number of todos.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"
SHARDS = 8

COUNT_TODOS = f"""
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
    op.create_table(
        "todo_counts",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "shard", name="pk_todo_counts"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name="fk_todo_counts_user"
        ),
        sa.CheckConstraint(f"shard BETWEEN 0 AND {SHARDS - 1}", name="ck_todo_counts_shard"),
    )
    # Carry the counts over. users is under a forced policy that the owner obeys too: lift it
    # for the copy; DDL holds an exclusive lock until commit, so nobody sees it lifted.
    op.execute("ALTER TABLE users NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO todo_counts (user_id, shard, total, completed) "
        "SELECT id, 0, todo_count, completed_count FROM users WHERE todo_count > 0"
    )
    op.execute("ALTER TABLE users FORCE ROW LEVEL SECURITY")
    op.execute(COUNT_TODOS)
    op.drop_constraint("ck_users_counts", "users")
    op.drop_column("users", "completed_count")
    op.drop_column("users", "todo_count")
    op.execute("ALTER TABLE todo_counts ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE todo_counts FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY todo_counts_of_current_user ON todo_counts "
        f"USING (user_id = {CURRENT_USER}) WITH CHECK (user_id = {CURRENT_USER})"
    )


def downgrade() -> None:
    raise NotImplementedError("0004 is not reversible: restore from a backup instead")
