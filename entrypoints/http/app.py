"""The app factory: builds the container and the FastAPI app, and wires them together.
Nothing is built at import time, so each test builds its own."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from entrypoints.config import Settings
from entrypoints.container import Container
from entrypoints.http import health, tags, todos
from entrypoints.http.compression import Compression
from entrypoints.http.cors import Cors
from entrypoints.http.docs_pages import install_docs_pages
from entrypoints.http.errors import install_error_handlers
from entrypoints.http.head import HeadWithoutBody
from entrypoints.http.identity_mode import document_identity, signing_keys_fetched
from entrypoints.http.openapi_document import install_openapi_document
from entrypoints.http.request_context import RequestContextMiddleware, UnhandledErrorMiddleware
from entrypoints.mcp.http import install_mcp, mcp_sessions

logger = logging.getLogger("todo")


def build_container(settings: Settings, storage: str = "postgres") -> Container:
    """A container for `settings`; storage "memory" is the in-memory adapter (tests)."""
    container = Container()
    container.config.from_dict(
        {
            "storage": storage,
            "neon_database_url": settings.neon_database_url,
            "migration_database_url": settings.migration_database_url,
            "identity_mode": "bearer" if settings.bearer_mode else "header",
            "auth_jwks_url": settings.auth_jwks_url,
            "auth_issuer": settings.auth_issuer,
            "auth_audience": settings.auth_audience,
            "max_todos_per_user": settings.max_todos_per_user,
            "connect_timeout": settings.database_connect_timeout_seconds,
            "request_pool_size": settings.worker_pools.requests,
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
    # As many threads run the routes' database calls (and the MCP tools) as the request pool
    # has connections (engine.py: no thread may wait for a connection that another waiting
    # thread holds). anyio's default is 40, today's single-process pool; the limiter belongs
    # to this event loop.
    to_thread.current_default_thread_limiter().total_tokens = container.config.request_pool_size()
    container.repository()  # start the embedded database, if that is the one
    async with signing_keys_fetched(app), mcp_sessions(app):
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
        docs_url=None,  # docs_pages.py serves /docs and /redoc from the service's own files
        redoc_url=None,
    )
    app.state.container = container
    app.state.bearer_mode = settings.bearer_mode
    for router in (todos.router, tags.router, health.router):
        # Added to the app's own router rather than through include_router, which in this
        # FastAPI version puts a delegating layer in front of every request.
        app.router.routes.extend(router.routes)
    install_mcp(app, settings.host)  # MCP at /mcp (entrypoints/mcp/http.py)
    install_openapi_document(app)
    install_docs_pages(app)
    install_error_handlers(app)
    document_identity(app, bearer=settings.bearer_mode)
    # Listed innermost first (each add_middleware wraps the ones before). The 500 guard sits
    # inside CORS so that a browser can read even that answer; the request id and access log
    # sit outside it so that preflights have them; HEAD drops the body last of all, after
    # every header is as GET's.
    app.add_middleware(Compression)
    app.add_middleware(UnhandledErrorMiddleware)
    if settings.cors_origins:
        app.add_middleware(Cors, origins=settings.cors_origins)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(HeadWithoutBody)
    return app
