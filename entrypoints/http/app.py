"""The app factory: builds the container and the FastAPI app, and wires them together.
Nothing is built at import time, so each test builds its own."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from entrypoints.config import Settings
from entrypoints.container import Container
from entrypoints.http import health, todos
from entrypoints.http.errors import install_error_handlers
from entrypoints.http.request_context import RequestContextMiddleware

logger = logging.getLogger("todo")


def build_container(settings: Settings, storage: str = "postgres") -> Container:
    """A container for `settings`; storage "memory" is the in-memory adapter (tests)."""
    container = Container()
    container.config.from_dict(
        {
            "storage": storage,
            "neon_database_url": settings.neon_database_url,
            "max_todos_per_user": settings.max_todos_per_user,
            "connect_timeout": settings.database_connect_timeout_seconds,
            "deadlines": {
                "statement": settings.database_statement_timeout_seconds,
                "lock": settings.database_lock_timeout_seconds,
                "client": settings.database_client_timeout_seconds,
            },
        }
    )
    return container


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    container: Container = app.state.container
    container.repository()  # start the embedded database, if that is the one
    yield
    container.shutdown_resources()  # dispose the pool, stop the embedded server


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    settings = settings or Settings()
    container = container or build_container(settings)
    app = FastAPI(
        title="Todo API",
        version="1.0.0",
        description="Each user's todos, isolated by the X-User-ID header. "
        "Errors share one envelope: detail, error_code, field_errors.",
        redirect_slashes=False,
        lifespan=_lifespan,
    )
    app.state.container = container
    for router in (todos.router, health.router):
        # Added to the app's own router rather than through include_router, which in this
        # FastAPI version puts a delegating layer in front of every request.
        app.router.routes.extend(router.routes)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    return app
