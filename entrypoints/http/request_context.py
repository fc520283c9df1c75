"""Request id and one access-log line per request (outermost, so CORS preflights have both),
and the last line of defence for bugs (500), which sits inside the CORS middleware so that a
browser can read even that answer.

A client that goes away before its response is complete (mid-upload, or while a long list is
being written) is not a server error: its line says `499` (nginx's "client closed request"),
with an info line, and no stack trace. Every client-supplied value in a line is escaped
(log_text.py), so a `%0a` in a path cannot forge a line."""

from __future__ import annotations

import logging
import random
import re
import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.http.errors import SERVER_ERROR, error_response
from entrypoints.http.log_text import loggable

access_log = logging.getLogger("todo.access")
error_log = logging.getLogger("todo.errors")

CLIENT_CLOSED_REQUEST = 499

# A client's id is echoed only if it is safe to put in a log line and a header.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _CLIENT_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    # Unique, not secret: 128 random bits without uuid4's system call per request (the random
    # module reseeds itself in forked workers).
    return f"{random.getrandbits(128):032x}"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        raw_id = request_id.encode("latin-1")
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = response_complete = client_gone = False

        async def receive_noting_disconnect() -> Message:
            nonlocal client_gone
            message = await receive()
            if message["type"] == "http.disconnect":
                client_gone = True
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started, response_complete
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", raw_id)]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                response_complete = True
            await send(message)

        try:
            await self.app(scope, receive_noting_disconnect, send_with_id)
        except ClientDisconnect:
            client_gone = True  # the request body was cut off: nobody is left to answer
        finally:
            note = ""
            if client_gone and not response_complete:
                status, note = CLIENT_CLOSED_REQUEST, " client disconnected"
            elif response_started and not response_complete:
                note = " incomplete"  # cut off by the service (list_stream.py says when)
            access_log.info(
                "%s %s %d %.1fms request_id=%s%s",
                loggable(scope["method"]),
                loggable(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
                loggable(request_id),
                note,
            )


class UnhandledErrorMiddleware:
    """Any exception no handler in errors.py took: logged with the request id, answered
    500 SERVER_ERROR if no answer had started (else the answer is cut off). A client that
    went away mid-upload is no error: RequestContextMiddleware logs it as such."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_tracked(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except ClientDisconnect:
            raise
        except Exception:
            request_id = scope.get("state", {}).get("request_id")
            error_log.exception("unhandled error, request_id=%s", loggable(str(request_id)))
            if not response_started:
                await error_response(SERVER_ERROR)(scope, receive, send)
