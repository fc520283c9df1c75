"""The one place that names concrete adapters and wires use cases to them."""

from dependency_injector import containers, providers

from adapters.identity.bearer import BearerTokenIdentity
from adapters.identity.jwks import JwksSigningKeys
from adapters.identity.trusted_header import TrustedHeaderIdentity
from adapters.memory import InMemoryTodoRepository
from adapters.postgres.repository import PostgresTodoRepository
from application.todo_service import TodoService
from entrypoints.database import (
    database_deadlines,
    database_engine,
    database_urls,
    probe_engine,
    schema_preparer,
)


class Container(containers.DeclarativeContainer):
    config = providers.Configuration()

    database = providers.Resource(
        database_urls, config.neon_database_url, config.migration_database_url
    )
    engine = providers.Resource(
        database_engine, database, config.connect_timeout, config.request_pool_size
    )
    probe_engine = providers.Resource(probe_engine, database)
    prepare_schema = providers.Singleton(schema_preparer, database)
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

    # Who is calling: "header" (the trusted X-User-ID, the default) or "bearer" (tokens
    # verified against the issuer's JWKS).
    signing_keys = providers.Singleton(JwksSigningKeys, config.auth_jwks_url)
    identity = providers.Selector(
        config.identity_mode,
        header=providers.Singleton(TrustedHeaderIdentity),
        bearer=providers.Singleton(
            BearerTokenIdentity, signing_keys, config.auth_issuer, config.auth_audience
        ),
    )
