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
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Text,
    func,
    text,
)
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
