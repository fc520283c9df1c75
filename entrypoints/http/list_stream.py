"""The list without `limit`: every matching todo, however many, in bounded memory.

The todos are read through the same use case as a paged list, PAGE_SIZE at a time, each page
following the previous one's key, and each page is fetched and JSON-encoded in one worker-thread
call. The event loop only hands finished chunks to the server, which waits (without a thread or
a database connection) while a slow reader drains them. A list that fits in the first page is
sent whole, with a Content-Length, as before.

What a streamed list promises. A list of several pages is read in several short statements,
not in one snapshot: one snapshot would hold a database connection for as long as the slowest
reader takes. So the body is exactly what following `next_cursor` page by page would give:
every todo that matches for the whole time the list is written appears once, in order; a todo
created, deleted or changed meanwhile may appear as it was when its page was read, or not at
all; nothing appears twice. `count` is written last and is the number of items in this body,
so it always agrees with them. If the database fails after the first byte, the response is cut
off (no final chunk): the client sees an incomplete body, never a well-formed wrong one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from uuid import UUID

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from application.ports import ListQuery, PageKey, RepositoryUnavailable
from application.todo_service import TodoService
from entrypoints.http.json_response import json_bytes
from entrypoints.http.list_parameters import MAX_LIST_LIMIT
from entrypoints.http.schemas import page_json

logger = logging.getLogger("todo.errors")

# The first page is as long as a paged list may be: a list a client could have in one page
# costs one statement and is sent whole, as before. Later pages are shorter: 500 todos of the
# largest size are about 1.3 MB of JSON, so a stream holds a few MB, and a 100,000-todo list
# costs 200 short statements.
FIRST_PAGE_SIZE = MAX_LIST_LIMIT
PAGE_SIZE = 500

_OPEN = b'{"items":['


def _close(count: int) -> bytes:
    return b'],"count":%d,"next_cursor":null}' % count


@dataclass(frozen=True, slots=True)
class _Page:
    items: bytes  # the todos as JSON values joined by commas, without brackets
    size: int
    next_page: PageKey | None


def _read_page(service: TodoService, user_id: UUID, query: ListQuery) -> _Page:
    """One page, fetched and encoded: runs on a worker thread."""
    listed = service.list(user_id, query)
    # Encoded as JsonResponse encodes, so a streamed body is byte for byte the body the same
    # list would have had in one piece.
    encoded = json_bytes(page_json(listed.items))[1:-1]
    return _Page(encoded, len(listed.items), listed.next_page)


async def every_todo(service: TodoService, user_id: UUID, query: ListQuery) -> Response:
    """The answer to a list without `limit`. The first page is read before anything is sent,
    so an error there (503 from the database) is an ordinary error response."""
    first_query = replace(query, limit=FIRST_PAGE_SIZE)
    first = await run_in_threadpool(_read_page, service, user_id, first_query)
    if first.next_page is None:
        return Response(_OPEN + first.items + _close(first.size), media_type="application/json")
    return _StreamedList(service, user_id, query, first)


class _StreamedList(Response):
    media_type = "application/json"

    def __init__(self, service: TodoService, user_id: UUID, query: ListQuery, first: _Page) -> None:
        # Not Response.__init__: without a `body` attribute no Content-Length is set, and the
        # server sends the body chunked.
        self.status_code = 200
        self.background = None
        self.init_headers()
        self._service = service
        self._user_id = user_id
        self._query = query
        self._first = first

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        await send(start)
        if scope["method"] == "HEAD":  # the headers are GET's; reading every page is not needed
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        failure: Exception | None = None
        async with anyio.create_task_group() as group:
            # A client that goes away is noticed here: the server would otherwise accept (and
            # drop) every remaining page, and the database would read them for nobody.
            group.start_soon(_cancel_on_disconnect, receive, group.cancel_scope)
            try:
                await self._write_body(send)
            except OSError:  # how servers of ASGI spec 2.4 report a closed connection
                failure = ClientDisconnect()
            except Exception as error:  # raised below as itself, not in an ExceptionGroup
                failure = error
            group.cancel_scope.cancel()
        if failure is not None:
            raise failure

    async def _write_body(self, send: Send) -> None:
        page, count = self._first, 0
        prefix = _OPEN
        while True:
            if page.size:
                chunk = prefix + page.items
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                prefix, count = b",", count + page.size
            if page.next_page is None:
                break
            query = replace(self._query, limit=PAGE_SIZE, after=page.next_page)
            try:
                page = await run_in_threadpool(_read_page, self._service, self._user_id, query)
            except RepositoryUnavailable as error:
                # Returning without the last message leaves the body incomplete: the server
                # closes the connection without the final chunk.
                logger.warning(
                    "list cut off after %d todos: database unavailable (%s)",
                    count,
                    type(error.__cause__ or error).__name__,
                )
                return
        closing = (_OPEN if prefix == _OPEN else b"") + _close(count)
        await send({"type": "http.response.body", "body": closing, "more_body": False})


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()
