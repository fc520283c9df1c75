"""The migrated schema: equal to the models, and enforcing the rules by itself."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, exc, text

from adapters.postgres.tables import metadata


def test_the_migrations_leave_no_difference_from_the_models(postgres_engine: Engine) -> None:
    with postgres_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_server_default": True})
        assert compare_metadata(context, metadata) == []


def test_every_index_and_key_of_todos_leads_with_user_id(postgres_engine: Engine) -> None:
    with postgres_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT indexrelid::regclass::text, "
                "(SELECT attname FROM pg_attribute"
                " WHERE attrelid = indrelid AND attnum = indkey[0]) "
                "FROM pg_index WHERE indrelid = 'todos'::regclass"
            )
        ).all()
    assert len(rows) == 3
    assert {first_column for _, first_column in rows} == {"user_id"}


_INSERT = (
    "SELECT set_config('app.user_id', %(u)s, true);"
    " INSERT INTO todos (user_id, id, title, description, created_at, updated_at)"
    " VALUES (%(u)s, %(id)s, %(title)s, %(description)s, now(), now())"
)


def _insert(engine: Engine, title: str, description: str | None = None) -> None:
    user = str(uuid.uuid4())
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "SELECT set_config('app.user_id', %(u)s, true); INSERT INTO users (id) VALUES (%(u)s)",
            {"u": user},
        )
        connection.exec_driver_sql(
            _INSERT,
            {"u": user, "id": str(uuid.uuid4()), "title": title, "description": description},
        )


@pytest.mark.parametrize(
    ("title", "description"),
    [("", None), ("x" * 256, None), (" padded ", None), ("\u3000x", None), ("ok", "d" * 2001)],
)
def test_check_constraints_refuse_what_the_domain_refuses(
    postgres_engine: Engine, title: str, description: str | None
) -> None:
    with pytest.raises(exc.IntegrityError):
        _insert(postgres_engine, title, description)


def test_check_constraints_admit_the_boundaries(postgres_engine: Engine) -> None:
    _insert(postgres_engine, "🙂" * 255, "é" * 2000)


def test_a_todo_cannot_exist_without_its_user(postgres_engine: Engine) -> None:
    params = {"u": str(uuid.uuid4()), "id": str(uuid.uuid4()), "title": "t", "description": None}
    with pytest.raises(exc.IntegrityError), postgres_engine.connect() as connection:
        connection.exec_driver_sql(_INSERT, params)
