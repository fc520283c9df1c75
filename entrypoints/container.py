"""The one place that names concrete adapters and wires use cases to them."""

from dependency_injector import containers, providers

from adapters.memory import InMemoryTodoRepository
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import TodoService
from entrypoints.database import database_engine, database_urls, schema_preparer


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    database = providers.Resource(
        database_urls, config.neon_database_url, config.migration_database_url
    )
    engine = providers.Resource(database_engine, database)
    prepare_schema = providers.Singleton(schema_preparer, database)

    # "postgres" in the service; the fast tests select "memory".
    repository = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresTodoRepository, engine, prepare_schema),
        memory=providers.Singleton(InMemoryTodoRepository),
    )
    todo_service = providers.Singleton(TodoService, repository=repository)
