"""The one place that names concrete adapters and wires use cases to them."""

from dependency_injector import containers, providers

from adapters.memory import InMemoryTodoRepository
from application.todo_service import TodoService


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    repository = providers.Selector(
        config.storage,
        memory=providers.Singleton(InMemoryTodoRepository),
    )
    todo_service = providers.Singleton(TodoService, repository=repository)
