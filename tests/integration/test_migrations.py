"""Migrating a database that already holds todos keeps them, and their counts."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from adapters.postgres.engine import normalize_url
from adapters.postgres.migrate import alembic_config, upgrade_to_head
from tests.support.postgres import scratch_database

AS_USER = "SELECT set_config('app.user_id', %(user)s, true); "


@pytest.fixture
def database(postgres_server_url: str) -> Iterator[str]:
    with scratch_database(postgres_server_url) as url:
        yield url.render_as_string(hide_password=False)


def migrate_to(url: str, revision: str) -> None:
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_upgrading_a_database_with_todos_keeps_them_and_counts_them(database: str) -> None:
    migrate_to(database, "0002")
    user = str(uuid4())
    engine = create_engine(
        normalize_url(database), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO users (id) VALUES (%(user)s)", {"user": user})
        for n, done in enumerate([True, False, False]):
            connection.exec_driver_sql(
                AS_USER + "INSERT INTO todos (user_id, id, title, is_completed, created_at,"
                " updated_at) VALUES (%(user)s, %(id)s, %(title)s, %(done)s, now(), now())",
                {"user": user, "id": str(uuid4()), "title": f"t{n}", "done": done},
            )

    upgrade_to_head(database)

    with engine.connect() as connection:
        counts = connection.exec_driver_sql(
            AS_USER + "SELECT sum(total), sum(completed) FROM todo_counts", {"user": user}
        ).one()
        titles = connection.exec_driver_sql(
            AS_USER + "SELECT title FROM todos ORDER BY title", {"user": user}
        ).scalars()
        assert tuple(counts) == (3, 1)
        assert list(titles) == ["t0", "t1", "t2"]
    engine.dispose()


def test_upgrading_to_0006_gives_existing_todos_the_v1_2_defaults(database: str) -> None:
    migrate_to(database, "0004")
    user = str(uuid4())
    engine = create_engine(
        normalize_url(database), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.exec_driver_sql(
            AS_USER + "INSERT INTO users (id) VALUES (%(user)s)", {"user": user}
        )
        for title, done in (("Straße", True), ("apple", False)):
            connection.exec_driver_sql(
                AS_USER + "INSERT INTO todos (user_id, id, title, description, is_completed,"
                " created_at, updated_at) VALUES (%(user)s, %(id)s, %(title)s, 'ÉTÉ', %(done)s,"
                " '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')",
                {"user": user, "id": str(uuid4()), "title": title, "done": done},
            )

    upgrade_to_head(database)

    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            AS_USER + "SELECT title_key, description_key, priority, tags, due_at,"
            " completed_at IS NOT NULL, completed_at = updated_at FROM todos ORDER BY title_key",
            {"user": user},
        ).all()
        assert [tuple(row) for row in rows] == [
            ("apple", "été", 0, [], None, False, None),
            ("strasse", "été", 0, [], None, True, True),
        ]
    engine.dispose()


def test_0006_downgrades_to_0004_and_upgrades_again(database: str) -> None:
    upgrade_to_head(database)
    migrate_down_to(database, "0004")
    upgrade_to_head(database)


def migrate_down_to(url: str, revision: str) -> None:
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()
