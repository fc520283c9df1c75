"""organizing todos (v1.2): priority, tags, due_at, completed_at; an index per sort; todo_tags

Existing todos get priority none (0), no tags, no due date, and completed_at = updated_at when
completed (the best instant known). title_key and description_key hold the domain's case
folding of the text (sort=title, q): computed in Python here too, so old rows fold exactly as
new ones. CHECK constraints repeat the domain's rules. Tags are mirrored, one row per tag, in
todo_tags by a trigger, so "this user's todos with tag t" and "this user's tags" scan an index
leading with the user; row-level security covers it like every table with user rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"
# Unicode White_Space, frozen as in 0001.
WHITESPACE_SQL = (
    "E'\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005"
    "\\u2006\\u2007\\u2008\\u2009\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'"
)
DUE_AT_IN_RANGE = (
    "due_at IS NULL OR due_at BETWEEN '0001-01-01T00:00:00Z' AND '9999-12-31T23:59:59.999999Z'"
)

# The domain's tag rules, less lower-casing (lower() follows the server's locale; the domain
# owns case): 0..20 tags, each 1..50 code points, trimmed, no comma or control character,
# distinct and sorted by code point.
TAGS_ARE_NORMAL = f"""
CREATE FUNCTION todo_tags_are_normal(tags text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT cardinality(tags) <= 20
       AND coalesce(array_ndims(tags), 1) = 1
       AND array_position(tags, NULL) IS NULL
       AND tags = ARRAY(SELECT DISTINCT t COLLATE "C" FROM unnest(tags) AS t ORDER BY 1)
       AND NOT EXISTS (
           SELECT 1 FROM unnest(tags) AS t
           WHERE char_length(t) NOT BETWEEN 1 AND 50
              OR t ~ E'[,\\u0001-\\u001f\\u007f-\\u009f]'
              OR t <> btrim(t, {WHITESPACE_SQL}))
$$
"""

MIRROR_TAGS = """
CREATE FUNCTION mirror_todo_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM todo_tags
        WHERE user_id = OLD.user_id AND todo_id = OLD.id AND NOT (tag = ANY (NEW.tags));
    END IF;
    INSERT INTO todo_tags (user_id, tag, todo_id)
    SELECT NEW.user_id, t, NEW.id FROM unnest(NEW.tags) AS t
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""


def _fold_existing_text() -> None:
    """title_key and description_key of the rows already stored, in batches of 5,000."""
    from domain.organizing import fold_case  # the one definition of case folding

    bind = op.get_bind()
    last: tuple[object, object] | None = None
    while True:
        after = "WHERE (user_id, id) > (:u, :i)" if last else ""
        rows = bind.execute(
            sa.text(
                f"SELECT user_id, id, title, description FROM todos {after}"
                " ORDER BY user_id, id LIMIT 5000"
            ),
            {"u": last[0], "i": last[1]} if last else {},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text(
                "UPDATE todos SET title_key = :t, description_key = :d"
                " WHERE user_id = :u AND id = :i"
            ),
            [
                {
                    "u": row.user_id,
                    "i": row.id,
                    "t": fold_case(row.title),
                    "d": None if row.description is None else fold_case(row.description),
                }
                for row in rows
            ],
        )
        last = (rows[-1].user_id, rows[-1].id)


def _organizing_columns(table: str) -> None:
    op.add_column(
        table, sa.Column("priority", sa.SmallInteger(), nullable=False, server_default=sa.text("0"))
    )
    op.add_column(
        table,
        sa.Column(
            "tags",
            postgresql.ARRAY(sa.Text()),
            nullable=False,
            server_default=sa.text("'{}'::text[]"),
        ),
    )
    op.add_column(table, sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))


def upgrade() -> None:
    op.execute(TAGS_ARE_NORMAL)
    _organizing_columns("todos")
    _organizing_columns("idempotency_keys")
    op.add_column("todos", sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("todos", sa.Column("title_key", sa.Text(collation="C"), nullable=True))
    op.add_column("todos", sa.Column("description_key", sa.Text(), nullable=True))
    # Rows of every user are rewritten: lift the forced policy for the owner meanwhile (DDL
    # holds an exclusive lock until commit, so nobody sees it lifted).
    # These rewrites change no count, so 0005's counting trigger is off meanwhile: it would
    # read users and todo_counts, whose forced policies hide every row from a statement that
    # names no user, and fail.
    op.execute("ALTER TABLE todos NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE todos DISABLE TRIGGER todos_counted_update")
    op.execute("UPDATE todos SET completed_at = updated_at WHERE is_completed")
    _fold_existing_text()
    op.execute("ALTER TABLE todos ENABLE TRIGGER todos_counted_update")
    op.execute("ALTER TABLE todos FORCE ROW LEVEL SECURITY")
    op.alter_column("todos", "title_key", nullable=False)
    op.create_check_constraint("ck_todos_priority", "todos", "priority BETWEEN 0 AND 3")
    op.create_check_constraint("ck_todos_tags", "todos", "todo_tags_are_normal(tags)")
    op.create_check_constraint("ck_todos_due_at_range", "todos", DUE_AT_IN_RANGE)
    op.create_check_constraint(
        "ck_todos_completed_at", "todos", "(completed_at IS NOT NULL) = is_completed"
    )
    for name, column in (
        ("updated", "updated_at"),
        ("due", "due_at"),
        ("priority", "priority"),
        ("title", "title_key"),
    ):
        op.create_index(f"ix_todos_user_{name}", "todos", ["user_id", column, "created_at", "id"])
    op.create_table(
        "todo_tags",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("tag", sa.Text(collation="C"), nullable=False),
        sa.Column("todo_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tag", "todo_id", name="pk_todo_tags"),
        sa.ForeignKeyConstraint(
            ["user_id", "todo_id"],
            ["todos.user_id", "todos.id"],
            ondelete="CASCADE",
            name="fk_todo_tags_todo",
        ),
    )
    # A todo's tag rows are deleted by (user_id, todo_id): on its deletion (the cascade) and
    # when its tags change (the trigger). Without this index each such delete reads every
    # tag row of the user.
    op.create_index("ix_todo_tags_user_todo", "todo_tags", ["user_id", "todo_id"])
    op.execute("ALTER TABLE todo_tags ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE todo_tags FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY todo_tags_of_current_user ON todo_tags "
        f"USING (user_id = {CURRENT_USER}) WITH CHECK (user_id = {CURRENT_USER})"
    )
    op.execute(MIRROR_TAGS)
    op.execute(
        "CREATE TRIGGER todos_mirror_new_tags AFTER INSERT ON todos FOR EACH ROW"
        " WHEN (cardinality(NEW.tags) > 0) EXECUTE FUNCTION mirror_todo_tags()"
    )
    op.execute(
        "CREATE TRIGGER todos_mirror_changed_tags AFTER UPDATE OF tags ON todos FOR EACH ROW"
        " WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION mirror_todo_tags()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER todos_mirror_new_tags ON todos")
    op.execute("DROP TRIGGER todos_mirror_changed_tags ON todos")
    op.drop_table("todo_tags")
    op.execute("DROP FUNCTION mirror_todo_tags()")
    for name in ("updated", "due", "priority", "title"):
        op.drop_index(f"ix_todos_user_{name}", "todos")
    for column in ("completed_at", "title_key", "description_key"):
        op.drop_column("todos", column)
    for table in ("todos", "idempotency_keys"):
        for column in ("priority", "tags", "due_at"):
            op.drop_column(table, column)
    op.execute("DROP FUNCTION todo_tags_are_normal(text[])")
