"""HEAD: the answer GET would give, without its body (RFC 9110, 9.3.2).

Routes run HEAD as GET (plain_route.py). This middleware is the outermost, so every other one
(compression, CORS, request id) has shaped the headers exactly as for GET before the body is
dropped here; servers such as uvicorn drop it too, but the app does not rely on that."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_END_OF_BODY: Message = {"type": "http.response.body", "body": b"", "more_body": False}


class HeadWithoutBody:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send(_END_OF_BODY)

        await self.app(scope, receive, send_headers_only)
