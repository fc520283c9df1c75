"""per-user todo counts kept on users by triggers; row-level security on users

A list answers `count` (the user's todos matching the filter) on every page. count(*) costs
time in proportion to the user's todos; a user with a million would pay it on every page. The
counts are kept on the user's row instead, by triggers on todos, so no path that writes todos
(the service, a console, a script) can leave them wrong.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"

COUNT_TODOS = """
CREATE FUNCTION count_todos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET todo_count = todo_count + 1,
                         completed_count = completed_count + NEW.is_completed::int
        WHERE id = NEW.user_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET todo_count = todo_count - 1,
                         completed_count = completed_count - OLD.is_completed::int
        WHERE id = OLD.user_id;
    ELSIF NEW.is_completed IS DISTINCT FROM OLD.is_completed THEN
        UPDATE users SET completed_count = completed_count + NEW.is_completed::int
                                                           - OLD.is_completed::int
        WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("todo_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "users", sa.Column("completed_count", sa.Integer(), nullable=False, server_default="0")
    )
    # Count what exists. The owner is subject to the forced policies, so lift them for the
    # backfill; DDL holds an exclusive lock until commit, so nobody sees them lifted.
    op.execute("ALTER TABLE todos NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE users SET todo_count = c.total, completed_count = c.completed "
        "FROM (SELECT user_id, count(*) AS total, count(*) FILTER (WHERE is_completed) "
        "AS completed FROM todos GROUP BY user_id) AS c WHERE users.id = c.user_id"
    )
    op.execute("ALTER TABLE todos FORCE ROW LEVEL SECURITY")
    op.create_check_constraint(
        "ck_users_counts", "users", "completed_count BETWEEN 0 AND todo_count"
    )
    op.execute(COUNT_TODOS)
    op.execute(
        "CREATE TRIGGER todos_counted AFTER INSERT OR DELETE OR UPDATE OF is_completed "
        "ON todos FOR EACH ROW EXECUTE FUNCTION count_todos()"
    )
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE users FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY users_current_user ON users "
        f"USING (id = {CURRENT_USER}) WITH CHECK (id = {CURRENT_USER})"
    )


def downgrade() -> None:
    op.execute("DROP POLICY users_current_user ON users")
    op.execute("ALTER TABLE users NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
    op.execute("DROP TRIGGER todos_counted ON todos")
    op.execute("DROP FUNCTION count_todos()")
    op.drop_constraint("ck_users_counts", "users")
    op.drop_column("users", "completed_count")
    op.drop_column("users", "todo_count")
