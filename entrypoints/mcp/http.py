"""The MCP server over streamable HTTP at /mcp, on the REST API's app: the same identity (the
bearer token in bearer mode, X-User-ID in header mode; a refusal is the REST API's 400, 401
or 503 envelope, before any MCP message is read), the same container, the same middlewares.

Stateless and JSON: each POST is one self-contained JSON-RPC exchange answered as
application/json, like a REST call. No session lives on the server, so any worker or replica
answers any request, and a session can never outlive or change the identity of its caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from mcp.server.mcpserver import Context
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from application.identity import CallerRefused
from entrypoints.http.errors import error_response, refused
from entrypoints.http.inputs import user_id_of
from entrypoints.mcp.server import todo_server

MCP_PATH = "/mcp"


async def _request_user(context: Context[Any, Any]) -> UUID:
    request: Request = context.request_context.request  # type: ignore[assignment]
    user_id: UUID = request.state.todo_user_id
    return user_id


class _McpEndpoint:
    """An ASGI app rather than a function, so that Starlette hands it the raw request (the
    SDK's transport reads the body and writes the answer itself)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            user_id = await user_id_of(request)
        except CallerRefused as refusal:
            await error_response(refused(refusal))(scope, receive, send)
            return
        request.state.todo_user_id = user_id
        await request.app.state.mcp_sessions.handle_request(scope, receive, send)


def install_mcp(app: FastAPI, host: str) -> None:
    """Serve MCP at /mcp; `host` is the one the service listens on (on loopback the SDK also
    refuses Host and Origin headers of other names: DNS rebinding)."""
    app.state.mcp_host = host
    # POST only: stateless, the server offers no stream to GET and no session to DELETE, and
    # the MCP spec asks for a 405 then (the app's envelope, with Allow: POST).
    app.router.routes.append(Route(MCP_PATH, _McpEndpoint(), methods=["POST"]))


@asynccontextmanager
async def mcp_sessions(app: FastAPI) -> AsyncIterator[None]:
    """The SDK's session manager, for the app's lifespan (it runs once per manager, so each
    lifespan gets a server of its own)."""
    server = todo_server(app.state.container.todo_service, _request_user)
    server.streamable_http_app(stateless_http=True, json_response=True, host=app.state.mcp_host)
    app.state.mcp_sessions = server.session_manager
    async with server.session_manager.run():
        yield
