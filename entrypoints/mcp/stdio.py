"""`python -m entrypoints.mcp` (make mcp): the MCP server on standard input and output,
acting for the one user that TODO_USER_ID (header mode) or TODO_TOKEN (bearer mode) names,
on the configured or embedded database. Like entrypoints/serve.py, a configuration that
cannot work is one line on standard error and exit status 2; the log goes to standard error
(standard output is the protocol's)."""

from __future__ import annotations

import logging
import sys
from typing import Any
from uuid import UUID

import anyio
from mcp.server.mcpserver import Context

from adapters.postgres.embedded import EmbeddedDatabaseBusy
from application.identity import CallerRefused, Credentials
from application.ports import RepositoryUnavailable
from entrypoints.config import CONFIGURATION_ERROR, Settings, configure_logging, load_settings
from entrypoints.container import Container
from entrypoints.http.app import build_container
from entrypoints.mcp.server import todo_server

logger = logging.getLogger("todo.mcp")


def _refuse(message: str) -> SystemExit:
    print(f"configuration error: {message}", file=sys.stderr)
    return SystemExit(CONFIGURATION_ERROR)


def credentials_of(settings: Settings) -> Credentials:
    """What the configured user presents, as an HTTP request would in each mode."""
    if settings.bearer_mode:
        if not settings.todo_token:
            raise _refuse("TODO_TOKEN: is required in bearer mode (a token of the user to act for)")
        return Credentials(authorizations=(f"Bearer {settings.todo_token}",))
    if not settings.todo_user_id:
        raise _refuse("TODO_USER_ID: is required in header mode (the UUID of the user to act for)")
    return Credentials(user_ids=(settings.todo_user_id,))


async def _user_id(container: Container, settings: Settings) -> UUID:
    """The user, checked by the same identity adapter as the REST API's requests."""
    credentials = credentials_of(settings)
    try:
        user_id: UUID = await container.identity().user_id(credentials)
    except CallerRefused as refusal:
        name = "TODO_TOKEN" if settings.bearer_mode else "TODO_USER_ID"
        raise _refuse(f"{name}: {refusal.description}") from None
    return user_id


async def _serve(container: Container, settings: Settings) -> None:
    keys = container.signing_keys() if settings.bearer_mode else None
    if keys is not None:
        await keys.start()
    try:
        user_id = await _user_id(container, settings)

        async def caller(context: Context[Any, Any]) -> UUID:
            return user_id

        logger.info("MCP on stdio, acting for user %s", user_id)
        await todo_server(container.todo_service, caller).run_stdio_async()
    finally:
        if keys is not None:
            await keys.close()


def main() -> None:
    settings = load_settings()
    configure_logging(settings)  # standard error
    credentials_of(settings)  # a missing user stops here, before any database starts
    container = build_container(settings)
    try:
        container.database()  # starts the embedded server, if that is the one
    except EmbeddedDatabaseBusy as error:
        print(f"cannot start: {error}", file=sys.stderr)
        raise SystemExit(CONFIGURATION_ERROR) from None
    try:
        container.repository().ping()  # migrates first
    except RepositoryUnavailable as error:
        logger.warning("%s; tools answer SERVICE_UNAVAILABLE until it answers", error)
    try:
        anyio.run(_serve, container, settings)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    finally:
        container.shutdown_resources()  # dispose the pool, stop the embedded server
