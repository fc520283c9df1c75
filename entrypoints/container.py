"""The one place that names concrete adapters and wires use cases to them."""

from dependency_injector import containers, providers

from adapters.memory import InMemoryTodoRepository
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import TodoService
from entrypoints.database import (
    database_deadlines,
    database_engine,
    database_url,
    probe_engine,
    schema_preparer,
)


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    database_url = providers.Resource(database_url, config.neon_database_url)
    engine = providers.Resource(database_engine, database_url, config.connect_timeout)
    probe_engine = providers.Resource(probe_engine, database_url)
    prepare_schema = providers.Singleton(schema_preparer, database_url)
    deadlines = providers.Singleton(database_deadlines, config.deadlines)

    # "postgres" in the service; the fast tests select "memory".
    repository = providers.Selector(
        config.storage,
        postgres=providers.Singleton(
            PostgresTodoRepository,
            engine,
            prepare_schema,
            deadlines=deadlines,
            probe_engine=probe_engine,
        ),
        memory=providers.Singleton(InMemoryTodoRepository),
    )
    todo_service = providers.Singleton(
        TodoService, repository=repository, max_todos_per_user=config.max_todos_per_user
    )
