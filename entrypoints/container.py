"""The one place that names concrete adapters and wires use cases to them."""

from dependency_injector import containers, providers

from adapters.memory import InMemoryTodoRepository
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import TodoService
from entrypoints.database import database_url, migrated_engine


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    database_url = providers.Resource(database_url, config.neon_database_url)
    engine = providers.Resource(migrated_engine, database_url)

    # "postgres" in the service; the fast tests select "memory".
    repository = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresTodoRepository, engine),
        memory=providers.Singleton(InMemoryTodoRepository),
    )
    todo_service = providers.Singleton(TodoService, repository=repository)
