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


@pytest.mark.parametrize(("table", "indexes"), [("todos", 7), ("todo_tags", 2)])
def test_every_index_and_key_of_user_rows_leads_with_user_id(
    postgres_engine: Engine, table: str, indexes: int
) -> None:
    with postgres_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT indexrelid::regclass::text, "
                "(SELECT attname FROM pg_attribute"
                " WHERE attrelid = indrelid AND attnum = indkey[0]) "
                "FROM pg_index WHERE indrelid = CAST(:table AS regclass)"
            ),
            {"table": table},
        ).all()
    assert len(rows) == indexes
    assert {first_column for _, first_column in rows} == {"user_id"}


_INSERT = (
    "SELECT set_config('app.user_id', %(u)s, true);"
    " INSERT INTO todos (user_id, id, title, title_key, description, created_at, updated_at,"
    " priority, tags, due_at, is_completed, completed_at)"
    " VALUES (%(u)s, %(id)s, %(title)s, %(title)s, %(description)s, now(), now(),"
    " %(priority)s, %(tags)s::text[], %(due_at)s, %(done)s, %(completed_at)s)"
)


def _insert(
    engine: Engine, title: str, description: str | None = None, **organizing: object
) -> None:
    user = str(uuid.uuid4())
    fields = {"priority": 0, "tags": [], "due_at": None, "done": False, "completed_at": None}
    fields |= organizing
    with engine.connect() as connection:
        connection.exec_driver_sql(
            "SELECT set_config('app.user_id', %(u)s, true); INSERT INTO users (id) VALUES (%(u)s)",
            {"u": user},
        )
        connection.exec_driver_sql(
            _INSERT,
            {"u": user, "id": str(uuid.uuid4()), "title": title, "description": description}
            | fields,
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


@pytest.mark.parametrize(
    "organizing",
    [
        {"priority": 4},
        {"priority": -1},
        {"tags": ["b", "a"]},
        {"tags": ["a", "a"]},
        {"tags": [""]},
        {"tags": ["x" * 51]},
        {"tags": ["a,b"]},
        {"tags": ["a\tb"]},
        {"tags": ["\u0085a"]},
        {"tags": [f"t{n:02}" for n in range(21)]},
        {"due_at": "0001-01-01T00:00:00+01:00"},
        {"done": True, "completed_at": None},
        {"done": False, "completed_at": "2026-01-01T00:00:00Z"},
    ],
)
def test_check_constraints_refuse_what_the_organizing_rules_refuse(
    postgres_engine: Engine, organizing: dict[str, object]
) -> None:
    with pytest.raises(exc.IntegrityError):
        _insert(postgres_engine, "t", None, **organizing)


def test_check_constraints_admit_the_organizing_boundaries(postgres_engine: Engine) -> None:
    _insert(
        postgres_engine,
        "t",
        None,
        priority=3,
        tags=sorted(["é" * 50, *(f"t{n:02}" for n in range(19))]),
        due_at="9999-12-31T23:59:59.999999Z",
        done=True,
        completed_at="2026-01-01T00:00:00Z",
    )


def test_a_todo_cannot_exist_without_its_user(postgres_engine: Engine) -> None:
    params = {"u": str(uuid.uuid4()), "id": str(uuid.uuid4()), "title": "t", "description": None}
    params |= {"priority": 0, "tags": [], "due_at": None, "done": False, "completed_at": None}
    with pytest.raises(exc.IntegrityError), postgres_engine.connect() as connection:
        connection.exec_driver_sql(_INSERT, params)
