"""The reference the service is measured against: the least an app can do for the same mix.

A raw ASGI app (no framework, no validation beyond what routing needs, no domain objects),
served by the same uvicorn (one worker, no access log). Each request makes one psycopg2 round
trip (reference_todos.py) on a 40-thread pool through asyncio's run_in_executor (as the
service's routes do, entrypoints/http/blocking_calls.py), with the service's own SQL, encoded
with the service's JSON encoder, so the two differ only in what happens in Python around the
statement.

Run (from the repository root, so `bench` and `adapters` import):
    BENCH_REFERENCE_DATABASE_URL=postgresql://... \
    python -m uvicorn bench.reference_app:app --no-access-log --log-level warning
"""

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson

from bench import reference_todos as todos
from bench.reference_todos import PREFIX, Result

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY_CHUNKS = 64
_THREADS = ThreadPoolExecutor(todos.POOL_SIZE)


async def _blocking(function: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(_THREADS, function, *args)


def _bad(status: int, message: str) -> Result:
    return status, {"detail": message, "error_code": "VALIDATION_ERROR"}, []


def _route(method: str, path: str, query: str, user: str, raw: bytes) -> Result:
    """Runs in the thread pool: parse what the mix needs, one statement, shape the answer."""
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
            return todos.list_todos(user, limit)
        if method == "POST" and isinstance(body.get("title"), str):
            return todos.create(user, body)
        return _bad(422, "title is required")
    todo_id = path[len(PREFIX) + 1 :]
    try:
        todo_id = str(uuid.UUID(todo_id))
    except ValueError:
        return _bad(400, "todo_id must be a UUID")
    if method == "GET":
        return todos.get(user, todo_id)
    if method == "PATCH":
        return todos.patch(user, todo_id, body)
    if method == "DELETE":
        return todos.delete(user, todo_id)
    return 405, {"detail": "method not allowed", "error_code": "METHOD_NOT_ALLOWED"}, []


async def _respond(send: Send, status: int, body: Any, headers: list[tuple[bytes, bytes]]) -> None:
    payload = b"" if body is None else orjson.dumps(body)  # the service's encoder
    all_headers = [*headers, (b"content-length", str(len(payload)).encode())]
    if body is not None:
        all_headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": payload})


async def _lifespan(receive: Receive, send: Send) -> None:
    for _ in range(2):  # startup, then shutdown
        message = await receive()
        if message["type"] == "lifespan.startup":
            await _blocking(todos.connection_pool)  # connect before serving
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            todos.close_pool()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
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
        _route, method, path, query, user, b"".join(chunks)
    )
    await _respond(send, status, body, headers + echo)
