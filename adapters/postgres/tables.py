"""The schema, as SQLModel table models. They live here, not in the domain: mapping.py turns
rows into domain Todos. Alembic migrations must match these (a test checks no diff remains).

Every key and index of `todos` leads with user_id, so a user's queries never scan other users'
rows and the table can later be sharded by user. CHECK constraints repeat the domain's rules so
bad data cannot enter by any path."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlmodel import Field, SQLModel

# Unicode White_Space, as in domain.todo.UNICODE_WHITESPACE, for btrim() in a CHECK.
WHITESPACE_SQL = (
    "E'\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005"
    "\\u2006\\u2007\\u2008\\u2009\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'"
)


def _uuid(name: str, *args: object, **kwargs: object) -> Column:  # type: ignore[type-arg]
    return Column(name, PgUUID(as_uuid=True), *args, nullable=False, **kwargs)  # type: ignore[arg-type]


def _timestamp(name: str, **kwargs: object) -> Column:  # type: ignore[type-arg]
    return Column(name, DateTime(timezone=True), nullable=False, **kwargs)  # type: ignore[arg-type]


DUE_AT_IN_RANGE = (
    "due_at IS NULL OR due_at BETWEEN '0001-01-01T00:00:00Z' AND '9999-12-31T23:59:59.999999Z'"
)


def _priority() -> Column:  # type: ignore[type-arg]
    return Column("priority", SmallInteger, nullable=False, server_default=text("0"))


def _tags() -> Column:  # type: ignore[type-arg]
    return Column("tags", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]"))


class UserRow(SQLModel, table=True):
    __tablename__ = "users"

    id: UUID = Field(sa_column=_uuid("id", primary_key=True))
    created_at: datetime = Field(sa_column=_timestamp("created_at", server_default=func.now()))


class TodoRow(SQLModel, table=True):
    __tablename__ = "todos"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "id", name="pk_todos"),
        Index("ix_todos_user_created", "user_id", "created_at", "id"),
        Index("ix_todos_user_completed_created", "user_id", "is_completed", "created_at", "id"),
        CheckConstraint("char_length(title) BETWEEN 1 AND 255", name="ck_todos_title_length"),
        CheckConstraint(f"title = btrim(title, {WHITESPACE_SQL})", name="ck_todos_title_trimmed"),
        CheckConstraint(
            "description IS NULL OR char_length(description) <= 2000",
            name="ck_todos_description_length",
        ),
        CheckConstraint("version >= 1", name="ck_todos_version_positive"),
        # v1.2 (migration 0006): one index per sort, each ending in the tie-breakers.
        Index("ix_todos_user_updated", "user_id", "updated_at", "created_at", "id"),
        Index("ix_todos_user_due", "user_id", "due_at", "created_at", "id"),
        Index("ix_todos_user_priority", "user_id", "priority", "created_at", "id"),
        Index("ix_todos_user_title", "user_id", "title_key", "created_at", "id"),
        CheckConstraint("priority BETWEEN 0 AND 3", name="ck_todos_priority"),
        CheckConstraint("todo_tags_are_normal(tags)", name="ck_todos_tags"),
        CheckConstraint(DUE_AT_IN_RANGE, name="ck_todos_due_at_range"),
        CheckConstraint("(completed_at IS NOT NULL) = is_completed", name="ck_todos_completed_at"),
    )

    user_id: UUID = Field(
        sa_column=_uuid("user_id", ForeignKey("users.id", ondelete="CASCADE", name="fk_todos_user"))
    )
    id: UUID = Field(sa_column=_uuid("id"))
    title: str = Field(sa_column=Column("title", Text, nullable=False))
    description: str | None = Field(sa_column=Column("description", Text, nullable=True))
    is_completed: bool = Field(
        sa_column=Column("is_completed", Boolean, nullable=False, server_default=text("false"))
    )
    created_at: datetime = Field(sa_column=_timestamp("created_at"))
    updated_at: datetime = Field(sa_column=_timestamp("updated_at"))
    version: int = Field(
        sa_column=Column("version", Integer, nullable=False, server_default=text("1"))
    )
    priority: int = Field(sa_column=_priority())  # Priority.rank: 0 none .. 3 high
    tags: list[str] = Field(sa_column=_tags())  # normalised, sorted; mirrored in todo_tags
    due_at: datetime | None = Field(sa_column=Column("due_at", DateTime(timezone=True)))
    completed_at: datetime | None = Field(sa_column=Column("completed_at", DateTime(timezone=True)))
    title_key: str = Field(sa_column=Column("title_key", Text(collation="C"), nullable=False))
    description_key: str | None = Field(sa_column=Column("description_key", Text))


class IdempotencyKeyRow(SQLModel, table=True):
    """A create request's key, its body's fingerprint, and the todo as first created (a replay
    answers that even after the todo changed or was deleted, so no foreign key to todos)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "key", name="pk_idempotency_keys"),
        CheckConstraint("char_length(key) BETWEEN 1 AND 255", name="ck_idempotency_key_length"),
    )

    user_id: UUID = Field(
        sa_column=_uuid(
            "user_id", ForeignKey("users.id", ondelete="CASCADE", name="fk_idempotency_user")
        )
    )
    key: str = Field(sa_column=Column("key", Text, nullable=False))
    fingerprint: str = Field(sa_column=Column("fingerprint", Text, nullable=False))
    todo_id: UUID = Field(sa_column=_uuid("todo_id"))
    title: str = Field(sa_column=Column("title", Text, nullable=False))
    description: str | None = Field(sa_column=Column("description", Text, nullable=True))
    is_completed: bool = Field(sa_column=Column("is_completed", Boolean, nullable=False))
    created_at: datetime = Field(sa_column=_timestamp("created_at"))
    priority: int = Field(sa_column=_priority())
    tags: list[str] = Field(sa_column=_tags())
    due_at: datetime | None = Field(sa_column=Column("due_at", DateTime(timezone=True)))


class TodoTagRow(SQLModel, table=True):
    """One row per tag of a todo, kept by a trigger on todos (migration 0006): "this user's
    todos with tag t" and "this user's tags" are range scans of the primary key, which leads
    with the user. (A GIN index on (user_id, tags) needs btree_gin, which the embedded
    database does not ship.)"""

    __tablename__ = "todo_tags"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "tag", "todo_id", name="pk_todo_tags"),
        # For deleting a todo's tag rows (the foreign key's cascade, the trigger): without it
        # each delete read every tag row of the user, 50 ms at 1,000,000 todos (--size).
        Index("ix_todo_tags_user_todo", "user_id", "todo_id"),
        ForeignKeyConstraint(
            ["user_id", "todo_id"],
            ["todos.user_id", "todos.id"],
            ondelete="CASCADE",
            name="fk_todo_tags_todo",
        ),
    )

    user_id: UUID = Field(sa_column=_uuid("user_id"))
    tag: str = Field(sa_column=Column("tag", Text(collation="C"), nullable=False))
    todo_id: UUID = Field(sa_column=_uuid("todo_id"))


class TodoCountRow(SQLModel, table=True):
    """How many todos (and completed ones) a user has, spread over up to 8 rows that a trigger
    on todos keeps (migrations 0003, 0004): a list's count costs the same however many todos
    there are, and concurrent writers for one user rarely wait on one counter row."""

    __tablename__ = "todo_counts"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "shard", name="pk_todo_counts"),
        CheckConstraint("shard BETWEEN 0 AND 7", name="ck_todo_counts_shard"),
    )

    user_id: UUID = Field(
        sa_column=_uuid(
            "user_id", ForeignKey("users.id", ondelete="CASCADE", name="fk_todo_counts_user")
        )
    )
    shard: int = Field(sa_column=Column("shard", SmallInteger, nullable=False))
    total: int = Field(sa_column=Column("total", Integer, nullable=False))
    completed: int = Field(sa_column=Column("completed", Integer, nullable=False))


metadata = SQLModel.metadata
