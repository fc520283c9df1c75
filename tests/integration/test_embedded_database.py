"""The embedded default: a real PostgreSQL whose data survives a restart."""

from pathlib import Path
from uuid import uuid4

from adapters.postgres.embedded import start_embedded
from adapters.postgres.engine import create_database_engine
from adapters.postgres.migrate import upgrade_to_head
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import NewTodo, TodoService


def test_todos_in_the_embedded_database_survive_a_restart(tmp_path: Path) -> None:
    user = uuid4()
    first = start_embedded(tmp_path / "postgres")
    try:
        upgrade_to_head(first.url)
        engine = create_database_engine(first.url)
        created = TodoService(PostgresTodoRepository(engine)).create(user, NewTodo("kept"))
        engine.dispose()
    finally:
        first.stop()

    second = start_embedded(tmp_path / "postgres")
    try:
        upgrade_to_head(second.url)
        engine = create_database_engine(second.url)
        assert TodoService(PostgresTodoRepository(engine)).get(user, created.id) == created
        engine.dispose()
    finally:
        second.stop()
