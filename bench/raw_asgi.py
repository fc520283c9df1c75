"""The ASGI plumbing of the two raw apps (reference_app.py, floor_app.py): no framework, no
validation beyond what routing needs. The event loop reads the request and echoes its
X-Request-ID; everything else (parse, one statement, shape the answer) runs in one call on
anyio's thread pool (40 threads), as the service's routes make their database calls; bodies
are encoded with the service's encoder (orjson). The two apps differ only in the `Handlers`
they pass to `raw_app`."""

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import anyio.to_thread
import orjson

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = "/api/v1/todos"
MAX_BODY_CHUNKS = 64

# (status, JSON body or None, extra headers)
Result = tuple[int, Any, list[tuple[bytes, bytes]]]
NOT_FOUND: Result = (404, {"detail": "no such todo", "error_code": "NOT_FOUND"}, [])


async def _blocking(function: Callable[..., Any], *args: Any) -> Any:
    return await anyio.to_thread.run_sync(function, *args)


class Handlers(Protocol):
    """One function per operation of the mix, each one round trip; called on the thread pool
    with the user and todo ids already checked to be UUIDs."""

    def connect(self) -> object: ...  # opens the pool (at startup, before serving)
    def close(self) -> None: ...
    def list_todos(self, user: str, limit: int | None) -> Result: ...
    def create(self, user: str, body: dict[str, Any]) -> Result: ...
    def get(self, user: str, todo_id: str) -> Result: ...
    def patch(self, user: str, todo_id: str, body: dict[str, Any]) -> Result: ...
    def delete(self, user: str, todo_id: str) -> Result: ...


def _bad(status: int, message: str) -> Result:
    return status, {"detail": message, "error_code": "VALIDATION_ERROR"}, []


def _route(
    handlers: Handlers, method: str, path: str, query: str, user: str, raw: bytes
) -> Result:
    """Runs in the thread pool: parse what the mix needs, one handler call."""
    try:
        user = str(uuid.UUID(user))
    except ValueError:
        return _bad(400, "X-User-ID must be a UUID")
    body: Any = None
    if method in ("POST", "PATCH"):
        try:
            body = json.loads(raw)
        except ValueError:
            return _bad(422, "body is not JSON")
        if not isinstance(body, dict):
            return _bad(422, "body must be an object")
    if path == PREFIX:
        if method == "GET":
            limit = None
            for part in query.split("&"):
                name, _, value = part.partition("=")
                if name == "limit" and value.isdigit():
                    limit = int(value)
            return handlers.list_todos(user, limit)
        if method == "POST" and isinstance(body.get("title"), str):
            return handlers.create(user, body)
        return _bad(422, "title is required")
    todo_id = path[len(PREFIX) + 1 :]
    try:
        todo_id = str(uuid.UUID(todo_id))
    except ValueError:
        return _bad(400, "todo_id must be a UUID")
    if method == "GET":
        return handlers.get(user, todo_id)
    if method == "PATCH":
        return handlers.patch(user, todo_id, body)
    if method == "DELETE":
        return handlers.delete(user, todo_id)
    return 405, {"detail": "method not allowed", "error_code": "METHOD_NOT_ALLOWED"}, []


async def _respond(send: Send, status: int, body: Any, headers: list[tuple[bytes, bytes]]) -> None:
    payload = b"" if body is None else orjson.dumps(body)
    all_headers = [*headers, (b"content-length", str(len(payload)).encode())]
    if body is not None:
        all_headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": payload})


async def _lifespan(handlers: Handlers, receive: Receive, send: Send) -> None:
    for _ in range(2):  # startup, then shutdown
        message = await receive()
        if message["type"] == "lifespan.startup":
            await _blocking(handlers.connect)  # connect before serving
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            handlers.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


def raw_app(handlers: Handlers) -> App:
    """The ASGI callable serving /health and the todo routes with `handlers`."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(handlers, receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        user = ""
        request_id = b""
        for name, value in scope["headers"]:
            if name == b"x-user-id":
                user = value.decode("latin-1")
            elif name == b"x-request-id":
                request_id = value
        # The wrk script tells which operation a response answers by its echoed request id.
        echo = [(b"x-request-id", request_id)] if request_id else []
        if path == "/health":
            await _respond(send, 200, {"status": "ok"}, echo)
            return
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await _respond(send, 404, {"detail": "no such route", "error_code": "NOT_FOUND"}, echo)
            return
        chunks = []
        for _ in range(MAX_BODY_CHUNKS):
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        else:
            await _respond(send, 413, {"detail": "body too large", "error_code": "TOO_LARGE"}, echo)
            return
        query = scope["query_string"].decode("latin-1")
        status, body, headers = await _blocking(
            _route, handlers, method, path, query, user, b"".join(chunks)
        )
        await _respond(send, status, body, headers + echo)

    return app
